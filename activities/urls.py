from django.urls import path

from activities import views

app_name = "activities"

# The record is given in the query string: ?opportunity=<id> (or lead, contact, company).
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("log/", views.log, name="log"),
    path("schedule/", views.schedule, name="schedule"),
    path("note/", views.note, name="note"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("timeline/", views.timeline, name="timeline"),
    path("card/", views.card, name="card"),
]
