from django.urls import path

from crm.views import activities

app_name = "activities"

# The record is given in the query string: ?opportunity=<id> (or lead, contact, company).
urlpatterns = [
    path("log/", activities.log, name="log"),
    path("schedule/", activities.schedule, name="schedule"),
    path("note/", activities.note, name="note"),
    path("<int:pk>/complete/", activities.complete, name="complete"),
    path("timeline/", activities.timeline, name="timeline"),
    path("card/", activities.card, name="card"),
]
