"""Activities as iCalendar (RFC 5545) events: a user's private feed, and the file that adds one
activity to a calendar.

Times are the app's wall clock (``TIME_ZONE``, the zone due dates and times are kept in; users
have no zone of their own): each timed event carries ``TZID`` and the calendar the matching
``VTIMEZONE``, so that a calendar elsewhere shows the right hour across daylight saving. An
activity with a date and no time is an all-day event.

Each event's ``UID`` is ``activity-<pk>@<host>``, the same on every read; its ``SEQUENCE`` is
the activity's version (raised by every change made through the app), and ``LAST-MODIFIED``
its last change, so that subscribed calendars take an edit as an update of the same event.
A done activity stays, its summary saying it is done; a deleted one (or one handed to someone
else) is simply no longer in the feed, which subscribed calendars read as its removal.
"""

import contextlib
import datetime
import zoneinfo

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from activities.models import Activity
from activities.templatetags.activities import record_url

PRODID = "-//CRM//Activities//EN"
# The feed starts this many days before today: recent history stays visible in calendars.
FEED_DAYS_BACK = 30
# How far ahead a VTIMEZONE writes its changes of offset, and from when.
TIMEZONE_YEARS = 10
EPOCH = datetime.date(1970, 1, 2)


def feed_activities(user, *, today: datetime.date | None = None):
    """What ``user``'s feed lists: their dated activities (done or not, notes aside) due from
    ``FEED_DAYS_BACK`` days ago onward, with their records, in one query. An owner always sees
    their own activities, so no other scope applies."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=FEED_DAYS_BACK)
    return (
        Activity.objects.filter(owner=user, due_date__gte=since)
        .exclude(kind=Activity.Kind.NOTE)
        .with_subjects()
        .order_by("due_date", "due_time", "pk")
    )


def new_calendar(*, name: str = "", method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _day(moment) -> datetime.date:
    return moment.date() if isinstance(moment, datetime.datetime) else moment


def finished(calendar: Calendar) -> bytes:
    """The calendar as a file, with the VTIMEZONE its events' TZIDs name, its changes of
    offset written for the years the events span (from 1970, up to ``TIMEZONE_YEARS`` ahead:
    past that a calendar keeps the last offset written)."""
    days = [_day(event.decoded("dtstart")) for event in calendar.walk("VEVENT")]
    if days:
        ahead = timezone.localdate() + datetime.timedelta(days=366 * TIMEZONE_YEARS)
        first, last = (min(max(day, EPOCH), ahead) for day in (min(days), max(days)))
        one_day = datetime.timedelta(days=1)
        calendar.add_missing_timezones(first_date=first - one_day, last_date=last + one_day)
    return calendar.to_ical()


def summary(activity: Activity) -> str:
    text = _("%(kind)s: %(subject)s") % {
        "kind": activity.get_kind_display(),
        "subject": activity.subject,
    }
    if activity.is_done:
        return _("Done: %(summary)s") % {"summary": text}
    return text


def event_for(activity: Activity, *, request: HttpRequest, stamp=None) -> Event:
    """``activity`` (dated) as a VEVENT. ``stamp`` is DTSTAMP: the activity's last change in
    a feed (RFC 5545, without METHOD), the time of the file when one is given."""
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{request.get_host()}")
    event.add("dtstamp", stamp or activity.updated_at)
    event.add("created", activity.created_at)
    event.add("last-modified", activity.updated_at)
    event.add("sequence", activity.version - 1)  # versions start at 1, sequences at 0
    event.add("summary", summary(activity))
    if activity.notes:
        event.add("description", activity.notes)
    url = record_url(activity.record)
    if url:
        event.add("url", request.build_absolute_uri(url))
    if activity.due_time is None:
        start, length = activity.due_date, datetime.timedelta(days=1)
        event.add("transp", "TRANSPARENT")  # a day's task does not make the day busy
    else:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        start = datetime.datetime.combine(activity.due_date, activity.due_time, tzinfo=zone)
        length = datetime.timedelta(minutes=activity.minutes)
    event.add("dtstart", start)
    # On the calendar's last day there is no end to write: without DTEND the event keeps to
    # its day (RFC 5545).
    with contextlib.suppress(OverflowError):
        event.add("dtend", start + length)
    return event


def person(email: str, name: str, **parameters) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in parameters.items():
        address.params[key.replace("_", "-")] = vText(value)
    return address


def attendee_of(activity: Activity) -> tuple[str, str] | None:
    """The email and name of the person a meeting is with: the contact it is about, a deal's
    primary contact, or a lead; None without an email."""
    record = activity.record
    if activity.opportunity_id is not None:
        record = activity.opportunity.contact
    elif activity.company_id is not None:
        return None
    if record is None or not getattr(record, "email", ""):
        return None
    return record.email, str(record)


def download(activity: Activity, *, request: HttpRequest) -> bytes:
    """One activity as a file to open in a calendar app; a meeting names its organizer (the
    owner) and the person it is with as attendee."""
    calendar = new_calendar(method="PUBLISH")
    event = event_for(activity, request=request, stamp=timezone.now())
    if activity.kind == Activity.Kind.MEETING:
        owner = activity.owner
        if owner is not None and owner.email:
            event.add("organizer", person(owner.email, str(owner)))
        attendee = attendee_of(activity)
        if attendee is not None:
            email, name = attendee
            event.add(
                "attendee", person(email, name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION")
            )
    calendar.add_component(event)
    return finished(calendar)


def feed(user, *, request: HttpRequest) -> bytes:
    calendar = new_calendar(name=_("CRM activities of %(name)s") % {"name": user})
    for activity in feed_activities(user):
        calendar.add_component(event_for(activity, request=request))
    return finished(calendar)
