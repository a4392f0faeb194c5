"""The calendar: Alice subscribes her calendar app to her private address and sees her
activities there, kept up to date; she adds one activity to her calendar from its record."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from activities.models import Activity, CalendarFeed
from activities.services import complete_activity, renew_calendar_feed, schedule_activity
from crm.versions import save_if_current
from tests.factories import make_activity, make_contact, make_opportunity

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def read(response) -> Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(response) -> dict[str, object]:
    """The feed's events by UID."""
    return {str(event["uid"]): event for event in read(response).walk("VEVENT")}


def uid(activity) -> str:
    return f"activity-{activity.pk}@testserver"


@pytest.fixture
def address(rep) -> str:
    return f"/calendar/{renew_calendar_feed(user=rep).token}.ics"


# The feed.


def test_feed_lists_her_activities_with_their_times_for_anyone_holding_the_address(rep, address):
    deal = make_opportunity(owner=rep, name="Acme renewal")
    call = make_activity(
        opportunity=deal,
        owner=rep,
        kind=Activity.Kind.CALL,
        subject="Price call",
        due_date=days(1),
        due_time=datetime.time(10, 30),
        duration=45,
        notes="Bring the new prices",
    )
    task = make_activity(opportunity=deal, owner=rep, subject="Send the contract", due_date=days(2))

    response = Client().get(address)  # a calendar app: no session

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    found = events(response)
    assert sorted(found) == sorted([uid(call), uid(task)])
    event = found[uid(call)]
    assert str(event["summary"]) == "Call: Price call"
    assert str(event["description"]) == "Bring the new prices"
    assert str(event["url"]) == f"http://testserver/opportunities/{deal.pk}/"
    start = datetime.datetime.combine(days(1), datetime.time(10, 30), tzinfo=datetime.UTC)
    assert event.decoded("dtstart") == start
    assert event.decoded("dtend") == start + datetime.timedelta(minutes=45)
    assert event["sequence"] == 0
    assert "dtstamp" in event and "last-modified" in event
    all_day = found[uid(task)]
    assert all_day.decoded("dtstart") == days(2)  # a date, not a time: an all-day event
    assert all_day.decoded("dtend") == days(3)


def test_feed_gives_times_in_the_app_time_zone_with_its_definition(rep, address, settings):
    settings.TIME_ZONE = "Europe/Madrid"
    call = make_activity(
        owner=rep, kind=Activity.Kind.CALL, due_date=days(1), due_time=datetime.time(9, 0)
    )

    calendar = read(Client().get(address))

    event = events(Client().get(address))[uid(call)]
    assert event["dtstart"].params["TZID"] == "Europe/Madrid"
    assert event.decoded("dtstart").replace(tzinfo=None) == datetime.datetime.combine(
        days(1), datetime.time(9, 0)
    )
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(minutes=30)
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]


def test_feed_time_zone_gives_summer_time_to_a_meeting_next_summer(rep, address, settings):
    settings.TIME_ZONE = "Europe/Madrid"
    july = datetime.date(TODAY().year + 1, 7, 1)
    make_activity(owner=rep, kind=Activity.Kind.MEETING, due_date=july, due_time=datetime.time(9))

    [zone] = read(Client().get(address)).walk("VTIMEZONE")

    start = datetime.datetime.combine(july, datetime.time(9), tzinfo=zone.to_tz())
    assert start.utcoffset() == datetime.timedelta(hours=2)


def test_feed_speaks_the_language_of_her_profile(rep, address):
    rep.language = "es"
    rep.save(update_fields=["language"])
    call = make_activity(owner=rep, kind=Activity.Kind.CALL, subject="Acme", due_date=days(1))

    assert str(events(Client().get(address))[uid(call)]["summary"]) == "Llamada: Acme"


def test_feed_keeps_uids_across_reads_and_follows_an_edit(rep, address):
    call = make_activity(owner=rep, due_date=days(1), due_time=datetime.time(9, 0))
    first = events(Client().get(address))
    again = events(Client().get(address))
    assert list(first) == list(again) == [uid(call)]

    call.due_time = datetime.time(15, 0)
    save_if_current(call, version=call.version, fields=["due_time"])  # as the admin saves

    edited = events(Client().get(address))[uid(call)]
    assert edited["sequence"] == first[uid(call)]["sequence"] + 1
    assert edited.decoded("dtstart").time() == datetime.time(15, 0)
    assert edited.decoded("last-modified") >= first[uid(call)].decoded("last-modified")


def test_feed_drops_a_deleted_activity_and_keeps_a_done_one_marked_done(rep, address):
    kept = make_activity(owner=rep, subject="Demo", kind=Activity.Kind.MEETING, due_date=days(-1))
    gone = make_activity(owner=rep, subject="Cancelled", due_date=days(1))
    complete_activity(kept, outcome="Went well", by=rep, without_next_step=True)
    gone.delete()

    found = events(Client().get(address))

    assert list(found) == [uid(kept)]
    assert str(found[uid(kept)]["summary"]) == "Done: Meeting: Demo"
    assert found[uid(kept)]["sequence"] == 1


def test_feed_holds_her_own_activities_from_a_month_ago_on_and_no_notes(rep, teammate, address):
    recent = make_activity(owner=rep, due_date=days(-30))
    make_activity(owner=rep, due_date=days(-31))
    make_activity(owner=rep, kind=Activity.Kind.NOTE)
    make_activity(owner=rep, due_date=None)
    deal = make_opportunity(owner=rep)
    make_activity(opportunity=deal, owner=teammate, due_date=days(1))  # on her deal, not hers

    assert list(events(Client().get(address))) == [uid(recent)]


def test_feed_of_another_user_never_shows_hers(rep, other_rep):
    make_activity(owner=rep, subject="Alice's call", due_date=days(1))
    theirs = make_activity(owner=other_rep, subject="Charlie's call", due_date=days(1))
    charlies = f"/calendar/{renew_calendar_feed(user=other_rep).token}.ics"

    assert list(events(Client().get(charlies))) == [uid(theirs)]


def test_feed_address_unknown_revoked_or_of_a_deactivated_user_is_a_404(rep, address):
    assert Client().get("/calendar/not-a-token.ics").status_code == 404
    newer = renew_calendar_feed(user=rep).token
    assert Client().get(address).status_code == 404  # the new address revoked the old
    assert Client().get(f"/calendar/{newer}.ics").status_code == 200
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    assert Client().get(f"/calendar/{newer}.ics").status_code == 404


def test_feed_address_is_stored_only_as_a_hash(rep):
    token = renew_calendar_feed(user=rep).token
    assert not CalendarFeed.objects.filter(hashed__contains=token).exists()
    assert CalendarFeed.objects.for_token(token).get().user == rep


def test_feed_answers_only_get(rep, address):
    assert Client().post(address).status_code == 405


@pytest.mark.parametrize("count", [2, 20])
def test_feed_reads_in_a_constant_number_of_queries(rep, address, count, django_assert_num_queries):
    deal = make_opportunity(owner=rep, contact=make_contact(owner=rep))
    for n in range(count):
        make_activity(opportunity=deal, owner=rep, due_date=days(n % 5))

    # The feed with its user; the activities with their records.
    with django_assert_num_queries(2):
        response = Client().get(address)

    assert len(events(response)) == count


# Add to calendar.


@pytest.fixture
def meeting(rep):
    contact = make_contact(
        owner=rep, first_name="Carla", last_name="Client", email="carla@example.com"
    )
    deal = make_opportunity(owner=rep, contact=contact, company=contact.company)
    return make_activity(
        opportunity=deal,
        owner=rep,
        kind=Activity.Kind.MEETING,
        subject="Kick-off",
        due_date=days(3),
        due_time=datetime.time(11, 0),
    )


def test_add_to_calendar_gives_the_meeting_with_organizer_and_attendee(rep_client, rep, meeting):
    rep.email = "alice@example.com"
    rep.save(update_fields=["email"])

    response = rep_client.get(f"/activities/{meeting.pk}/calendar.ics")

    assert response["Content-Disposition"] == f'attachment; filename="activity-{meeting.pk}.ics"'
    calendar = read(response)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "PUBLISH"
    assert str(event["uid"]) == uid(meeting)
    assert str(event["summary"]) == "Meeting: Kick-off"
    assert str(event["organizer"]) == "mailto:alice@example.com"
    assert event["organizer"].params["CN"] == "Alice Rep"
    assert str(event["attendee"]) == "mailto:carla@example.com"
    assert event["attendee"].params["CN"] == "Carla Client"


def test_add_to_calendar_of_a_call_names_nobody(rep_client, rep):
    call = make_activity(owner=rep, kind=Activity.Kind.CALL, due_date=days(1))

    [event] = read(rep_client.get(f"/activities/{call.pk}/calendar.ics")).walk("VEVENT")

    assert "attendee" not in event and "organizer" not in event


def test_add_to_calendar_of_another_teams_activity_is_a_404(other_client, meeting):
    assert other_client.get(f"/activities/{meeting.pk}/calendar.ics").status_code == 404


def test_add_to_calendar_needs_a_login(client, meeting):
    response = client.get(f"/activities/{meeting.pk}/calendar.ics")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_add_to_calendar_is_offered_on_the_record_in_the_list_and_on_my_day(rep_client, meeting):
    link = f'href="/activities/{meeting.pk}/calendar.ics"'
    assert link in rep_client.get("/activities/").content.decode()
    panel = rep_client.get(f"/activities/timeline/?opportunity={meeting.opportunity_id}")
    assert link in panel.content.decode()
    assert link in rep_client.get("/").content.decode()  # My day


# Scheduling with a duration.


def test_scheduling_a_meeting_sets_its_duration(rep_client, rep):
    deal = make_opportunity(owner=rep)

    rep_client.post(
        f"/activities/schedule/?opportunity={deal.pk}",
        {
            "kind": "meeting",
            "subject": "Workshop",
            "due_date": days(1).isoformat(),
            "due_time": "14:00",
            "duration": "90",
        },
    )

    assert Activity.objects.get(subject="Workshop").duration == 90


def test_scheduling_a_duration_without_a_time_is_refused_beside_the_field(rep_client, rep):
    deal = make_opportunity(owner=rep)

    response = rep_client.post(
        f"/activities/schedule/?opportunity={deal.pk}",
        {"kind": "call", "subject": "Call", "due_date": days(1).isoformat(), "duration": "20"},
    )

    assert response.status_code == 200
    assert "A duration needs a time to start from." in response.content.decode()
    assert not Activity.objects.filter(subject="Call").exists()


def test_schedule_service_keeps_no_duration_when_none_is_given(rep):
    activity = schedule_activity(
        record=make_opportunity(owner=rep), by=rep, kind="call", subject="Call", due_date=days(1)
    )
    assert activity.duration is None
    assert activity.minutes == 30


# The calendar feed page, linked from the profile.


def test_profile_links_to_the_calendar_feed_page(rep_client):
    assert (
        'href="/activities/calendar-feed/"' in rep_client.get("/accounts/profile/").content.decode()
    )


def test_feed_page_makes_an_address_shown_once_and_a_new_one_revokes_it(rep_client, rep):
    assert (
        'data-testid="calendar-none"'
        in rep_client.get("/activities/calendar-feed/").content.decode()
    )

    page = rep_client.post("/activities/calendar-feed/").content.decode()
    first = page.split('data-testid="calendar-address">')[1].split("<")[0]
    assert first.startswith("http://testserver/calendar/") and first.endswith(".ics")
    assert Client().get(first.removeprefix("http://testserver")).status_code == 200

    later = rep_client.get("/activities/calendar-feed/").content.decode()
    assert 'data-testid="calendar-active"' in later and first not in later  # shown once

    page = rep_client.post("/activities/calendar-feed/").content.decode()
    second = page.split('data-testid="calendar-address">')[1].split("<")[0]
    assert second != first
    assert Client().get(first.removeprefix("http://testserver")).status_code == 404
    assert Client().get(second.removeprefix("http://testserver")).status_code == 200


def test_feed_page_stops_the_feed(rep_client, rep, address):
    response = rep_client.post("/activities/calendar-feed/revoke/", follow=True)

    assert "Your calendar address no longer works." in response.content.decode()
    assert 'data-testid="calendar-none"' in response.content.decode()
    assert Client().get(address).status_code == 404
    assert CalendarFeed.objects.filter(user=rep).active().count() == 0


def test_request_log_never_holds_a_working_address(rep, address, settings, caplog):
    settings.LOG_REQUESTS = True
    token = address.removeprefix("/calendar/").removesuffix(".ics")

    with caplog.at_level("INFO", logger="crm.request"):
        Client().get(address)

    [line] = [line for line in caplog.records if line.name == "crm.request"]
    assert line.getMessage() == "GET /calendar/[secret].ics 200"
    assert token not in line.path


@pytest.mark.parametrize("due_time", [None, datetime.time(23, 50)])
def test_feed_answers_with_an_activity_on_the_last_day_of_the_calendar(
    rep, address, settings, due_time
):
    settings.TIME_ZONE = "Europe/Madrid"
    last = make_activity(owner=rep, due_date=datetime.date.max, due_time=due_time)

    event = events(Client().get(address))[uid(last)]

    assert event["dtstart"].to_ical().startswith(b"99991231")
    assert "dtend" not in event
