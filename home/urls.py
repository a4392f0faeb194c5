from django.urls import path

from home import views

# Not namespaced: "home" is the name every page's logo and redirect use.
urlpatterns = [
    path("", views.home, name="home"),
]
