from django.urls import path

from mail import views

app_name = "mail"

# The record is given in the query string: ?opportunity=<id> (or lead, contact, company).
urlpatterns = [
    path("new/", views.compose, name="compose"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:template_pk>/", views.template_edit, name="template_edit"),
    path("templates/<int:template_pk>/delete/", views.template_delete, name="template_delete"),
]
