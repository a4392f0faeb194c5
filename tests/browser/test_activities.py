"""Completing an activity and scheduling the next step, in the page, through HTMX."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity
from tests.factories import make_activity, make_opportunity, make_stage


@pytest.fixture
def call(transactional_db, rep):
    """Alice's call to Pat, due today: the only step planned on her open deal."""
    deal = make_opportunity(name="Acme renewal", owner=rep, stage=make_stage(name="Proposal"))
    return make_activity(opportunity=deal, owner=rep, kind="call", subject="Call Pat")


def test_rep_completes_a_call_and_schedules_the_next_step_from_my_day(
    page, live_server, login, rep, call
):
    next_week = timezone.localdate() + datetime.timedelta(days=3)

    login(rep)
    today = page.locator('[data-section="today"]')
    expect(today).to_contain_text("Call Pat")
    today.get_by_role("link", name="Done").click()

    # The last planned step of an open deal: the form asks for the next one.
    expect(page.get_by_text("schedule the next one")).to_be_visible()
    page.get_by_label("Outcome").fill("Pat wants a demo")
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("This deal has no other next step: schedule one.")).to_be_visible()

    page.get_by_label("Next step: kind").select_option("meeting")
    page.get_by_label("Next step: subject").fill("Demo for Pat")
    page.get_by_label("Next step: due on").fill(next_week.isoformat())
    page.get_by_role("button", name="Mark done").click()

    upcoming = page.locator('[data-section="upcoming"]')
    expect(upcoming).to_contain_text("Demo for Pat")
    expect(today).not_to_contain_text("Call Pat")
    expect(page.locator("#messages")).to_contain_text("Activity done.")
    assert page.url == f"{live_server.url}/"  # never left the page

    call.refresh_from_db()
    assert (call.is_done, call.outcome) == (True, "Pat wants a demo")
    assert list(
        Activity.objects.pending().values_list("kind", "subject", "due_date", "opportunity")
    ) == [("meeting", "Demo for Pat", next_week, call.opportunity_id)]


def test_rep_completes_the_next_activity_from_a_deal_card(page, live_server, login, rep, call):
    # The card's activity part on a page of its own; the board shows the same include.
    deal = call.opportunity
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    login(rep)
    page.goto(f"{live_server.url}/activities/card/?opportunity={deal.pk}")
    card = page.locator(f"#card-activity-{deal.pk}")
    expect(card).to_contain_text("Call: Call Pat")
    card.get_by_role("link", name="Done").click()

    card.get_by_label("Outcome").fill("Left a message")
    card.get_by_label("Next step: subject").fill("Call Pat again")
    card.get_by_label("Next step: due on").fill(tomorrow.isoformat())
    card.get_by_role("button", name="Mark done").click()

    expect(card).to_contain_text("Call: Call Pat again")
    expect(card.locator("form")).to_have_count(0)
    call.refresh_from_db()
    assert (call.is_done, call.outcome) == (True, "Left a message")
    assert list(Activity.objects.pending().values_list("subject", "due_date")) == [
        ("Call Pat again", tomorrow)
    ]
