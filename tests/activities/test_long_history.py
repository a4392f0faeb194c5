"""A record's page shows the newest part of a long history and offers the rest on asking: a
customer of many years has thousands of entries, and a page must not grow with them."""

import datetime
import re

from django.utils import timezone

from crm.timeline import HISTORY_SIZE
from leads.models import LeadStatusChange
from opportunities.models import OpportunityChange
from tests.factories import make_activity, make_lead, make_opportunity


def long_deal_history(deal, rep, count):
    start = timezone.now() - datetime.timedelta(days=count)
    OpportunityChange.objects.bulk_create(
        OpportunityChange(
            opportunity=deal,
            field="amount",
            old_value=str(number),
            new_value=str(number + 1),
            changed_by=rep,
            changed_at=start + datetime.timedelta(days=number),
        )
        for number in range(count)
    )


def test_a_deal_page_shows_the_newest_changes_and_offers_the_rest(rep_client, rep):
    deal = make_opportunity(name="Big account", owner=rep)
    long_deal_history(deal, rep, HISTORY_SIZE + 10)

    html = rep_client.get(deal.get_absolute_url()).content.decode()

    assert html.count('data-change="amount"') == HISTORY_SIZE
    # The newest change (the last one written) is shown, the oldest is not.
    amounts = re.findall(r"(\d+)\.00 → (\d+)\.00", html)
    assert (f"{HISTORY_SIZE + 9}", f"{HISTORY_SIZE + 10}") in amounts
    assert ("0", "1") not in amounts
    assert "Show every change" in html
    assert "Show the whole history" in html
    assert html.count('data-entry="deal_change"') == HISTORY_SIZE


def test_asking_for_the_whole_history_shows_every_change(rep_client, rep):
    deal = make_opportunity(name="Big account", owner=rep)
    long_deal_history(deal, rep, HISTORY_SIZE + 10)

    html = rep_client.get(deal.get_absolute_url(), {"history": "all"}).content.decode()

    # The changes written here and the one recorded when the deal was created.
    total = OpportunityChange.objects.filter(opportunity=deal).count()
    assert html.count('data-change="') == total
    assert html.count('data-entry="deal_change"') == total
    assert "Show every change" not in html
    assert "Show the whole history" not in html


def test_a_short_history_offers_nothing_more(rep_client, rep):
    deal = make_opportunity(name="Small account", owner=rep)
    long_deal_history(deal, rep, 3)

    html = rep_client.get(deal.get_absolute_url()).content.decode()

    assert "Show every change" not in html
    assert "Show the whole history" not in html


def test_planned_steps_stay_on_a_page_with_a_long_history(rep_client, rep):
    deal = make_opportunity(name="Big account", owner=rep)
    long_deal_history(deal, rep, HISTORY_SIZE + 10)
    for number in range(HISTORY_SIZE + 5):
        make_activity(
            opportunity=deal,
            owner=rep,
            subject=f"Done {number}",
            done_at=timezone.now() - datetime.timedelta(hours=number),
        )
    make_activity(
        opportunity=deal,
        owner=rep,
        subject="Send the contract",
        due_date=timezone.localdate() + datetime.timedelta(days=2),
    )

    html = rep_client.get(deal.get_absolute_url()).content.decode()

    assert "Send the contract" in html
    assert html.count('data-entry="activity"') + html.count('data-entry="deal_change"') == (
        HISTORY_SIZE
    )
    assert re.search(r"Done 0\b", html)  # the newest activity


def test_a_lead_page_shows_the_newest_status_changes(rep_client, rep):
    lead = make_lead(owner=rep)
    start = timezone.now() - datetime.timedelta(days=100)
    LeadStatusChange.objects.bulk_create(
        LeadStatusChange(
            lead=lead,
            from_status="new",
            to_status="working",
            note=f"Step {number}",
            changed_by=rep,
            changed_at=start + datetime.timedelta(days=number),
        )
        for number in range(HISTORY_SIZE + 5)
    )

    html = rep_client.get(lead.get_absolute_url()).content.decode()
    everything = rep_client.get(lead.get_absolute_url(), {"history": "all"}).content.decode()

    assert f"Step {HISTORY_SIZE + 4}" in html
    assert not re.search(r"Step 0\b", html)
    assert "Show every change" in html
    assert re.search(r"Step 0\b", everything)
    assert "Show every change" not in everything


def test_every_planned_step_and_the_newest_done_ones_are_shown(rep_client, rep):
    deal = make_opportunity(name="Busy account", owner=rep)
    for number in range(HISTORY_SIZE + 5):
        make_activity(
            opportunity=deal,
            owner=rep,
            subject=f"Plan {number}",
            due_date=timezone.localdate() + datetime.timedelta(days=number + 1),
        )
    for number in range(HISTORY_SIZE - 5):
        make_activity(
            opportunity=deal,
            owner=rep,
            subject=f"Done {number}",
            done_at=timezone.now() - datetime.timedelta(hours=number + 1),
        )

    html = rep_client.get(deal.get_absolute_url()).content.decode()

    # Every planned step, the soonest first.
    assert all(re.search(rf"Plan {number}\b", html) for number in range(HISTORY_SIZE + 5))
    assert re.search(r"Plan 0\b", html).start() < re.search(r"Plan 1\b", html).start()
    # Every done activity (fewer than the page shows) and the deal's creation, nothing hidden.
    assert html.count('data-entry="activity"') == HISTORY_SIZE - 5
    assert "Show the whole history" not in html


def test_the_history_has_no_gap_between_activities_and_changes(rep_client, rep):
    deal = make_opportunity(name="Busy account", owner=rep)
    long_deal_history(deal, rep, HISTORY_SIZE)  # a change a day, the last one yesterday
    for number in range(HISTORY_SIZE):
        make_activity(
            opportunity=deal,
            owner=rep,
            subject=f"Call {number}",
            done_at=timezone.now() - datetime.timedelta(minutes=number + 1),  # after every change
        )
    make_activity(opportunity=deal, owner=rep, subject="Plan", due_date=timezone.localdate())

    html = rep_client.get(deal.get_absolute_url()).content.decode()

    # The 50 newest entries are the 50 calls of today, none left out for an older change.
    assert html.count('data-entry="activity"') == HISTORY_SIZE
    assert html.count('data-entry="deal_change"') == 0
    assert "Show the whole history" in html


def test_a_note_added_to_the_whole_history_keeps_it_whole(rep_client, rep, htmx_headers):
    deal = make_opportunity(name="Big account", owner=rep)
    long_deal_history(deal, rep, HISTORY_SIZE + 10)
    page = f"http://testserver{deal.get_absolute_url()}?history=all"

    response = rep_client.post(
        f"/activities/note/?opportunity={deal.pk}&slot=timeline",
        {"text": "Called the CFO"},
        headers=htmx_headers | {"HX-Current-URL": page},
    )

    html = response.content.decode()
    total = OpportunityChange.objects.filter(opportunity=deal).count()
    assert "Called the CFO" in html
    assert html.count('data-entry="deal_change"') == total
    assert "Show the whole history" not in html


def test_a_note_added_to_the_newest_history_keeps_it_short(rep_client, rep, htmx_headers):
    deal = make_opportunity(name="Big account", owner=rep)
    long_deal_history(deal, rep, HISTORY_SIZE + 10)

    response = rep_client.post(
        f"/activities/note/?opportunity={deal.pk}&slot=timeline",
        {"text": "Called the CFO"},
        headers=htmx_headers | {"HX-Current-URL": f"http://testserver{deal.get_absolute_url()}"},
    )

    html = response.content.decode()
    assert html.count('data-entry="deal_change"') == HISTORY_SIZE - 1  # the note is newest
    assert "Show the whole history" in html
