from django.urls import path

from activities import calendar_views

app_name = "calendar"

# Outside /activities/ and without a login: calendar apps subscribe to this address.
urlpatterns = [
    path("<str:token>.ics", calendar_views.feed, name="feed"),
]
