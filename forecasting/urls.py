from django.urls import path

from forecasting import views

app_name = "forecasting"

urlpatterns = [
    path("", views.quota_list, name="quotas"),
    path("set/", views.quota_set, name="quota_set"),
    path("<int:pk>/remove/", views.quota_remove, name="quota_remove"),
]
