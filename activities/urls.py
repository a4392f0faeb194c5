from django.urls import path

from activities import calendar_views, views

app_name = "activities"

# The record is given in the query string: ?opportunity=<id> (or lead, contact, company).
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("log/", views.log, name="log"),
    path("schedule/", views.schedule, name="schedule"),
    path("note/", views.note, name="note"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/calendar.ics", calendar_views.download, name="calendar"),
    path("calendar-feed/", calendar_views.feed_settings, name="calendar_feed"),
    path("calendar-feed/revoke/", calendar_views.feed_revoke, name="calendar_feed_revoke"),
    path("timeline/", views.timeline, name="timeline"),
    path("card/", views.card, name="card"),
]
