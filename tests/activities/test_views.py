"""The activity endpoints: forms opened and saved from a detail page, a board card or My day."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity
from tests.factories import (
    make_activity,
    make_company,
    make_contact,
    make_lead,
    make_opportunity,
)

TODAY = timezone.localdate


def tomorrow() -> str:
    return (TODAY() + datetime.timedelta(days=1)).isoformat()


def complete(client, call, headers, outcome: str, next_step=("call", "", ""), slot: str = ""):
    """Mark ``call`` done through its form as htmx posts it: the outcome and the next step
    (kind, subject, due date) typed in, from a record's page or from the ``slot`` ("card" on
    the board, "day" on My day)."""
    kind, subject, due_date = next_step
    return client.post(
        f"/activities/{call.pk}/complete/" + (f"?slot={slot}" if slot else ""),
        {"outcome": outcome, "next_kind": kind, "next_subject": subject, "next_due_date": due_date},
        headers=headers,
    )


# Permissions: every endpoint, for every kind of record.


@pytest.fixture
def charlies_records(other_rep):
    return {
        "opportunity": make_opportunity(owner=other_rep),
        "lead": make_lead(owner=other_rep),
        "contact": make_contact(owner=other_rep),
        "company": make_company(owner=other_rep),
    }


@pytest.mark.parametrize("endpoint", ["log", "schedule", "note"])
@pytest.mark.parametrize("kind", ["opportunity", "lead", "contact", "company"])
def test_other_teams_record_is_not_found(rep_client, charlies_records, endpoint, kind):
    record = charlies_records[kind]
    url = f"/activities/{endpoint}/?{kind}={record.pk}"
    get = rep_client.get(url)
    post = rep_client.post(url, {"subject": "Sneaky", "kind": "call", "text": "Sneaky"})
    assert (get.status_code, post.status_code) == (404, 404)
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("kind", ["opportunity", "lead", "contact", "company"])
def test_other_teams_timeline_is_not_found(rep_client, charlies_records, kind):
    record = charlies_records[kind]
    assert rep_client.get(f"/activities/timeline/?{kind}={record.pk}").status_code == 404


def test_other_teams_card_is_not_found(rep_client, other_deal):
    assert rep_client.get(f"/activities/card/?opportunity={other_deal.pk}").status_code == 404


def test_completing_other_teams_activity_is_not_found(rep_client, other_deal, other_rep):
    call = make_activity(opportunity=other_deal, owner=other_rep)
    url = f"/activities/{call.pk}/complete/"
    get = rep_client.get(url)
    post = rep_client.post(url, {"outcome": "Stolen", "next_kind": "call"})
    call.refresh_from_db()
    assert (get.status_code, post.status_code, call.is_pending) == (404, 404, True)


@pytest.mark.parametrize("query", ["", "?opportunity=abc", "?opportunity=999999"])
def test_missing_or_unknown_record_is_not_found(rep_client, query):
    assert rep_client.get(f"/activities/log/{query}").status_code == 404


def test_card_is_only_for_opportunities(rep_client, rep):
    lead = make_lead(owner=rep)
    assert rep_client.get(f"/activities/card/?lead={lead.pk}").status_code == 404


@pytest.mark.parametrize(
    ("endpoint", "method"),
    [
        ("log", "put"),
        ("schedule", "put"),
        ("note", "delete"),
        ("timeline", "post"),
        ("card", "post"),
    ],
)
def test_wrong_method_is_refused(rep_client, deal, endpoint, method):
    response = getattr(rep_client, method)(f"/activities/{endpoint}/?opportunity={deal.pk}")
    assert response.status_code == 405


def test_complete_refuses_wrong_method(rep_client, deal, rep):
    call = make_activity(opportunity=deal, owner=rep)
    assert rep_client.put(f"/activities/{call.pk}/complete/").status_code == 405


@pytest.mark.parametrize("endpoint", ["log", "schedule", "note", "timeline", "card"])
def test_anonymous_is_sent_to_login(client, deal, endpoint):
    url = f"/activities/{endpoint}/?opportunity={deal.pk}"
    response = client.get(url)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")


def test_anonymous_htmx_request_redirects_the_whole_page(client, deal, htmx_headers):
    response = client.get(f"/activities/log/?opportunity={deal.pk}", headers=htmx_headers)
    assert response["HX-Redirect"] == "/accounts/login/?next=/"


# Opening a form: a fragment for htmx, a page without.


def test_schedule_form_is_a_fragment_with_htmx(rep_client, deal, htmx_headers):
    response = rep_client.get(
        f"/activities/schedule/?opportunity={deal.pk}&slot=card", headers=htmx_headers
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-post="/activities/schedule/?opportunity=' in html
    assert f'hx-target="#card-activity-{deal.pk}"' in html  # Cancel restores the card


def test_schedule_form_is_a_page_without_htmx(rep_client, deal):
    response = rep_client.get(f"/activities/schedule/?opportunity={deal.pk}")
    html = response.content.decode()
    assert "<html" in html
    assert "Acme renewal" in html


# Saving: the slot comes back up to date.


def test_schedule_from_a_card_returns_the_card(rep_client, deal, rep, htmx_headers):
    response = rep_client.post(
        f"/activities/schedule/?opportunity={deal.pk}&slot=card",
        {"kind": "meeting", "subject": "Demo", "due_date": tomorrow()},
        headers=htmx_headers,
    )
    html = response.content.decode()
    assert (response["HX-Retarget"], response["HX-Reswap"]) == (
        f"#card-activity-{deal.pk}",
        "outerHTML",
    )
    assert f'id="card-activity-{deal.pk}"' in html
    assert "Meeting: Demo" in html
    assert "No next step" not in html
    assert "Activity scheduled." in html  # the message, out of band
    activity = Activity.objects.get()
    assert (activity.opportunity, activity.owner, activity.kind) == (deal, rep, "meeting")


def test_log_on_a_lead_from_its_page_returns_the_timeline(rep_client, rep, htmx_headers):
    lead = make_lead(owner=rep)
    response = rep_client.post(
        f"/activities/log/?lead={lead.pk}",
        {"kind": "call", "subject": "Intro call", "done_on": TODAY().isoformat(), "outcome": "OK"},
        headers=htmx_headers,
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#timeline-lead-{lead.pk}"
    assert "Call:</span> Intro call" in html
    assert Activity.objects.get().is_done


def test_note_on_a_company(rep_client, rep, htmx_headers):
    company = make_company(owner=rep)
    rep_client.post(
        f"/activities/note/?company={company.pk}", {"text": "Moving offices"}, headers=htmx_headers
    )
    assert list(company.activities.values_list("kind", "notes")) == [("note", "Moving offices")]


def test_log_without_htmx_redirects_back(rep_client, deal):
    response = rep_client.post(
        f"/activities/log/?opportunity={deal.pk}&next=/",
        {"kind": "email", "subject": "Sent prices", "done_on": TODAY().isoformat()},
    )
    assert (response.status_code, response["Location"]) == (302, "/")
    assert Activity.objects.get().subject == "Sent prices"


def test_log_refuses_an_outside_next_url(rep_client, deal):
    response = rep_client.post(
        f"/activities/log/?opportunity={deal.pk}&next=https://evil.example/",
        {"kind": "email", "subject": "Sent prices", "done_on": TODAY().isoformat()},
    )
    assert response["Location"] == deal.get_absolute_url()


def test_invalid_schedule_shows_errors_beside_the_fields(rep_client, deal, htmx_headers):
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
    response = rep_client.post(
        f"/activities/schedule/?opportunity={deal.pk}",
        {"kind": "call", "subject": "", "due_date": yesterday},
        headers=htmx_headers,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert "This field is required." in html
    assert "A scheduled activity cannot be due in the past." in html
    assert Activity.objects.count() == 0


# Completing, and the next-step prompt.


def test_completing_the_last_step_of_an_open_deal_asks_for_the_next(
    rep_client, deal, rep, htmx_headers
):
    call = make_activity(opportunity=deal, owner=rep, subject="First call")
    form = rep_client.get(f"/activities/{call.pk}/complete/?slot=card", headers=htmx_headers)
    assert "schedule the next one" in form.content.decode()

    response = complete(rep_client, call, htmx_headers, "Went well", slot="card")
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert "This deal has no other next step: schedule one." in html
    assert "When is the next step?" in html
    assert 'value="Went well"' in html  # what was typed is kept
    call.refresh_from_db()
    assert call.is_pending


def test_completing_with_the_next_step_schedules_it(rep_client, deal, rep, htmx_headers):
    call = make_activity(opportunity=deal, owner=rep, subject="First call")
    response = complete(
        rep_client, call, htmx_headers, "Went well", ("meeting", "Demo", tomorrow()), slot="card"
    )
    assert response["HX-Retarget"] == f"#card-activity-{deal.pk}"
    assert "Meeting: Demo" in response.content.decode()
    assert list(Activity.objects.order_by("pk").values_list("subject", "outcome", "done_at")) == [
        ("First call", "Went well", Activity.objects.get(pk=call.pk).done_at),
        ("Demo", "", None),
    ]


def test_completing_on_a_lead_needs_no_next_step(rep_client, rep, htmx_headers):
    lead = make_lead(owner=rep)
    call = make_activity(lead=lead, owner=rep)
    response = complete(rep_client, call, htmx_headers, "Reached")
    assert response["HX-Retarget"] == f"#timeline-lead-{lead.pk}"
    call.refresh_from_db()
    assert (call.is_done, call.outcome) == (True, "Reached")


def test_next_step_needs_both_subject_and_date(rep_client, deal, rep, htmx_headers):
    call = make_activity(opportunity=deal, owner=rep)
    make_activity(opportunity=deal, owner=rep, due_date=TODAY() + datetime.timedelta(days=3))
    response = complete(rep_client, call, htmx_headers, "", ("call", "Call again", ""))
    assert "When is the next step?" in response.content.decode()


def test_the_last_step_of_a_deal_offers_no_next_step_for_now(rep_client, deal, rep):
    last = make_activity(opportunity=deal, owner=rep, subject="Last call")
    another = make_activity(opportunity=make_opportunity(owner=rep), owner=rep)
    make_activity(opportunity=another.opportunity, owner=rep, due_date=TODAY())

    asked = rep_client.get(f"/activities/{last.pk}/complete/").content.decode()
    not_asked = rep_client.get(f"/activities/{another.pk}/complete/").content.decode()

    button = 'name="no_next_step" value="1" formnovalidate>No next step for now</button>'
    assert (button in asked, button in not_asked) == (True, False)


def test_no_next_step_for_now_completes_the_card_step_and_shows_the_badge(
    rep_client, deal, rep, htmx_headers
):
    call = make_activity(opportunity=deal, owner=rep, subject="Last call")

    response = rep_client.post(
        f"/activities/{call.pk}/complete/?slot=card",
        {
            "outcome": "Call in spring",
            "next_kind": "call",
            "next_subject": "Typed, then thought better of",
            "next_due_date": "",
            "no_next_step": "1",
            "version": call.version,
        },
        headers=htmx_headers,
    )

    html = response.content.decode()
    assert response["HX-Retarget"] == f"#card-activity-{deal.pk}"
    assert '<span class="badge text-bg-warning">No next step</span>' in html
    assert "Activity done." in html
    call.refresh_from_db()
    assert (call.is_done, call.outcome) == (True, "Call in spring")
    assert Activity.objects.pending().count() == 0


def test_without_the_button_the_last_step_still_asks_for_the_next(rep_client, deal, rep):
    call = make_activity(opportunity=deal, owner=rep)

    response = rep_client.post(
        f"/activities/{call.pk}/complete/", {"outcome": "", "version": call.version}
    )

    assert "This deal has no other next step: schedule one." in response.content.decode()
    call.refresh_from_db()
    assert call.is_pending


def test_done_activity_cannot_be_completed_again(rep_client, deal, rep):
    call = make_activity(opportunity=deal, owner=rep, done_at=timezone.now())
    assert rep_client.get(f"/activities/{call.pk}/complete/").status_code == 404


def test_complete_from_my_day_returns_my_day(rep_client, deal, rep, htmx_headers):
    call = make_activity(opportunity=deal, owner=rep, subject="Morning call")
    response = complete(
        rep_client, call, htmx_headers, "", ("task", "Send offer", tomorrow()), slot="day"
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == "#my-day"
    assert "Send offer" in html
    assert "Morning call" not in html


# Slots fetched on their own.


def test_timeline_fragment_and_page(rep_client, deal, rep, htmx_headers):
    make_activity(opportunity=deal, owner=rep, subject="Call Pat")
    fragment = rep_client.get(f"/activities/timeline/?opportunity={deal.pk}", headers=htmx_headers)
    page = rep_client.get(f"/activities/timeline/?opportunity={deal.pk}")
    assert "Call Pat" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert "<html" in page.content.decode()


def test_card_fragment_shows_badges_and_next_activity(rep_client, deal, rep, htmx_headers):
    make_activity(
        opportunity=deal, owner=rep, subject="Late", due_date=TODAY() - datetime.timedelta(days=2)
    )
    html = rep_client.get(
        f"/activities/card/?opportunity={deal.pk}", headers=htmx_headers
    ).content.decode()
    assert "Overdue" in html
    assert "No next step" not in html  # a late step is still a step
    assert "Task: Late" in html
