"""Writes go through the pages' forms and services: the same rules, the same history."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity
from crm.models import Company
from leads.models import Lead, LeadStatusChange
from opportunities.models import Opportunity, OpportunityChange
from tests.factories import (
    make_activity,
    make_company,
    make_disqualify_reason,
    make_lead,
    make_lost_reason,
    make_opportunity,
    make_pipeline,
)

JSON = "application/json"


def test_a_website_creates_a_lead_owned_by_the_tokens_user(rep, north, api_client):
    response = api_client(rep).post(
        "/api/v1/leads/",
        {"first_name": "Ana", "last_name": "García", "email": "ana@example.com"},
        content_type=JSON,
    )

    lead = Lead.objects.get()
    assert (response.status_code, response.json()["id"]) == (201, lead.pk)
    assert (lead.owner, lead.team, lead.status) == (rep, north, Lead.Status.NEW)
    assert LeadStatusChange.objects.filter(lead=lead, to_status="new").count() == 1


def test_a_lead_is_refused_with_the_forms_messages(rep, api_client):
    response = api_client(rep).post(
        "/api/v1/leads/", {"last_name": "X", "website": "javascript:alert(1)"}, content_type=JSON
    )

    assert (response.status_code, response.json()) == (400, {"website": ["Enter a valid URL."]})


def test_a_patch_cannot_change_a_leads_status(rep, api_client):
    lead = make_lead(owner=rep, last_name="Old")

    response = api_client(rep).patch(
        f"/api/v1/leads/{lead.pk}/", {"status": "converted", "last_name": "New"}, content_type=JSON
    )

    lead.refresh_from_db()
    assert (response.status_code, lead.status, lead.last_name) == (200, "new", "New")


def test_a_company_like_an_existing_one_needs_create_anyway(rep, api_client):
    make_company(owner=rep, name="Acme")
    client = api_client(rep)

    refused = client.post("/api/v1/companies/", {"name": "ACME"}, content_type=JSON)
    created = client.post(
        "/api/v1/companies/", {"name": "ACME", "create_anyway": True}, content_type=JSON
    )

    assert refused.status_code == 400
    assert list(refused.json()) == ["non_field_errors"]
    assert created.status_code == 201
    assert Company.objects.count() == 2


def test_a_deal_is_created_in_a_stage_and_moved_won_and_reopened(rep, api_client):
    pipeline = make_pipeline()
    first, second, _third = pipeline.stages.order_by("order")
    client = api_client(rep)
    created = client.post(
        "/api/v1/opportunities/",
        {
            "name": "Big one",
            "stage": first.pk,
            "amount": "5000",
            "expected_close_date": "2030-01-31",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/opportunities/{created.json()['id']}/"

    patched = client.patch(url, {"stage": second.pk, "amount": "6000"}, content_type=JSON)
    moved = client.post(f"{url}move/", {"stage": second.pk}, content_type=JSON)
    won = client.post(f"{url}win/")
    reopened = client.post(f"{url}reopen/")

    assert created.status_code == 201
    assert (patched.json()["stage"], patched.json()["amount"]) == (first.pk, "6000.00")
    assert moved.json()["stage"] == second.pk
    assert (won.json()["status"], reopened.json()["status"]) == ("won", "open")
    deal = Opportunity.objects.get()
    assert list(
        deal.changes.filter(field__in=["stage", "status"])
        .order_by("pk")
        .values_list("field", "new_value")
    ) == [("stage", second.name), ("status", "won"), ("status", "open")]


def test_losing_a_deal_takes_a_reason(rep, api_client):
    deal = make_opportunity(owner=rep)
    reason = make_lost_reason(name="Went elsewhere")
    client = api_client(rep)

    without = client.post(f"/api/v1/opportunities/{deal.pk}/lose/", {}, content_type=JSON)
    lost = client.post(
        f"/api/v1/opportunities/{deal.pk}/lose/", {"reason": reason.pk}, content_type=JSON
    )
    again = client.post(
        f"/api/v1/opportunities/{deal.pk}/lose/", {"reason": reason.pk}, content_type=JSON
    )

    assert (without.status_code, list(without.json())) == (400, ["reason"])
    assert (lost.json()["status"], lost.json()["lost_reason"]) == ("lost", reason.pk)
    assert (again.status_code, again.json()) == (409, {"detail": "This deal is already closed."})


def test_moving_to_another_pipelines_stage_is_refused(rep, api_client):
    deal = make_opportunity(owner=rep)
    elsewhere = make_pipeline().stages.first()

    response = api_client(rep).post(
        f"/api/v1/opportunities/{deal.pk}/move/", {"stage": elsewhere.pk}, content_type=JSON
    )

    assert (response.status_code, list(response.json())) == (400, ["stage"])
    assert OpportunityChange.objects.filter(field="stage").count() == 0


def test_qualify_then_disqualify_a_lead(rep, api_client):
    lead = make_lead(owner=rep)
    reason = make_disqualify_reason(name="Not a buyer")
    client = api_client(rep)

    qualified = client.post(f"/api/v1/leads/{lead.pk}/qualify/")
    disqualified = client.post(
        f"/api/v1/leads/{lead.pk}/disqualify/", {"reason": reason.pk}, content_type=JSON
    )
    qualified_again = client.post(f"/api/v1/leads/{lead.pk}/qualify/")

    assert qualified.json()["status"] == "qualified"
    assert disqualified.json()["disqualify_reason"] == reason.pk
    assert qualified_again.status_code == 409


def test_converting_a_lead_makes_a_contact_and_a_company(rep, api_client):
    lead = make_lead(owner=rep, company_name="Acme", last_name="Ruiz")

    response = api_client(rep).post(
        f"/api/v1/leads/{lead.pk}/convert/", {"create_opportunity": False}, content_type=JSON
    )

    body = response.json()
    assert response.status_code == 201
    assert body["opportunity"] is None
    assert Company.objects.get(pk=body["company"]).name == "Acme"
    assert Lead.objects.get().status == Lead.Status.CONVERTED


def test_an_activity_is_logged_planned_and_completed_with_its_next_step(rep, api_client):
    deal = make_opportunity(owner=rep)
    client = api_client(rep)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    logged = client.post(
        "/api/v1/activities/",
        {"opportunity": deal.pk, "kind": "call", "subject": "Intro call"},
        content_type=JSON,
    )
    planned = client.post(
        "/api/v1/activities/",
        {"opportunity": deal.pk, "kind": "meeting", "subject": "Demo", "due_date": tomorrow},
        content_type=JSON,
    )
    url = f"/api/v1/activities/{planned.json()['id']}/complete/"
    refused = client.post(url, {"outcome": "Went well"}, content_type=JSON)
    completed = client.post(
        url,
        {"outcome": "Went well", "next_subject": "Send offer", "next_due_date": tomorrow},
        content_type=JSON,
    )

    assert logged.status_code == 201 and logged.json()["done_at"] is not None
    assert (refused.status_code, list(refused.json())) == (400, ["next_subject", "next_due_date"])
    assert completed.json()["next_activity"]["subject"] == "Send offer"
    assert Activity.objects.filter(opportunity=deal).pending().count() == 1


@pytest.mark.parametrize(("field", "value"), [("duration", 90), ("remind_minutes_before", 15)])
def test_an_activity_is_planned_with_its_duration_or_reminder_which_need_a_time(
    rep, api_client, field, value
):
    deal = make_opportunity(owner=rep)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    planned = {"opportunity": deal.pk, "kind": "meeting", "subject": "Workshop", field: value}

    def plan(**more):
        return api_client(rep).post(
            "/api/v1/activities/", {"due_date": tomorrow, **planned, **more}, content_type=JSON
        )

    timed, untimed = plan(due_time="14:00"), plan()

    assert (timed.status_code, timed.json()[field]) == (201, value)
    assert getattr(Activity.objects.get(pk=timed.json()["id"]), field) == value
    assert (untimed.status_code, list(untimed.json())) == (400, [field])


def test_a_reminder_is_one_of_the_offered_times_and_not_marked_sent(rep, api_client):
    deal = make_opportunity(owner=rep)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    planned = {"opportunity": deal.pk, "kind": "call", "subject": "Call", "due_date": tomorrow}

    def plan(minutes):
        return api_client(rep).post(
            "/api/v1/activities/",
            {**planned, "due_time": "14:00", "remind_minutes_before": minutes},
            content_type=JSON,
        )

    offered, odd = plan(15), plan(7)

    assert (offered.status_code, offered.json()["reminded_at"]) == (201, None)
    assert (odd.status_code, list(odd.json())) == (400, ["remind_minutes_before"])


def test_an_activity_about_another_teams_record_is_refused(rep, other_rep, api_client):
    theirs = make_opportunity(owner=other_rep)

    response = api_client(rep).post(
        "/api/v1/activities/",
        {"opportunity": theirs.pk, "kind": "call", "subject": "Sneaky"},
        content_type=JSON,
    )

    assert (response.status_code, response.json()) == (400, {"opportunity": ["No such record."]})


def test_an_activity_is_not_edited(rep, api_client):
    activity = make_activity(owner=rep)

    response = api_client(rep).patch(
        f"/api/v1/activities/{activity.pk}/", {"subject": "x"}, content_type=JSON
    )

    assert response.status_code == 405


def test_a_manager_assigns_leads_in_bulk_and_a_rep_cannot(rep, teammate, manager, api_client):
    leads = [make_lead(owner=rep), make_lead(owner=rep)]
    body = {"leads": [lead.pk for lead in leads], "owner": teammate.pk}

    by_rep = api_client(rep).post("/api/v1/leads/bulk-assign/", body, content_type=JSON)
    by_manager = api_client(manager).post("/api/v1/leads/bulk-assign/", body, content_type=JSON)

    assert by_rep.status_code == 403
    assert by_manager.json() == {"assigned": 2}
    assert set(Lead.objects.values_list("owner", flat=True)) == {teammate.pk}


def test_a_lead_id_past_64_bits_is_refused_not_a_server_error(rep, manager, api_client):
    lead = make_lead(owner=rep)
    body = {"leads": [lead.pk, 15769212294767549753648480256], "owner": rep.pk}

    response = api_client(manager).post("/api/v1/leads/bulk-assign/", body, content_type=JSON)

    assert response.status_code == 400
    assert list(response.json()) == ["leads"]
