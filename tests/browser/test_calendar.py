"""The calendar in a real browser: Alice makes her calendar address on her profile, and a
calendar app (a plain HTTP client, no session) subscribes to it; she downloads one meeting."""

import datetime
import urllib.request

from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from activities.models import Activity
from tests.factories import make_activity, make_contact, make_opportunity


def test_a_calendar_app_reads_the_address_made_on_the_profile(
    transactional_db, page, live_server, login, rep
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    contact = make_contact(owner=rep, email="carla@example.com")
    deal = make_opportunity(owner=rep, contact=contact, company=contact.company)
    meeting = make_activity(
        opportunity=deal,
        owner=rep,
        kind=Activity.Kind.MEETING,
        subject="Kick-off",
        due_date=tomorrow,
        due_time=datetime.time(10, 0),
    )

    login(rep)
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_role("link", name="Calendar feed").click()
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_test_id("calendar-address").inner_text()

    with urllib.request.urlopen(address) as response:  # a calendar app: no login
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = Calendar.from_ical(response.read())
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Meeting: Kick-off"

    page.goto(f"{live_server.url}/opportunities/{deal.pk}/")
    with page.expect_download() as download:
        page.locator("[data-next-steps]").get_by_role("link", name="Add to calendar").click()
    assert download.value.suggested_filename == f"activity-{meeting.pk}.ics"
    [event] = Calendar.from_ical(download.value.path().read_bytes()).walk("VEVENT")
    assert str(event["attendee"]) == "mailto:carla@example.com"

    page.goto(f"{live_server.url}/activities/calendar-feed/")
    page.get_by_role("button", name="Stop the feed").click()
    expect(page.get_by_text("Your calendar address no longer works.")).to_be_visible()
