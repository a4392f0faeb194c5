"""A record's timeline: activities, notes and recorded changes, newest first, in a constant
number of queries."""

import datetime
import re

import pytest
from django.utils import timezone

from crm.timeline import build_timeline
from leads.models import LeadStatusChange
from opportunities.models import OpportunityChange
from tests.factories import make_activity, make_company, make_contact, make_lead, make_opportunity


def at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def test_deal_timeline_mixes_activities_notes_and_changes_newest_first(deal, rep, stage):
    make_activity(opportunity=deal, owner=rep, subject="Intro call", done_at=at(3))
    make_activity(
        opportunity=deal, owner=rep, kind="note", subject="Budget", due_date=None, done_at=at(1)
    )
    OpportunityChange.objects.create(
        opportunity=deal, field="stage", from_stage=stage, to_stage=stage, changed_at=at(2)
    )
    make_activity(opportunity=deal, owner=rep, subject="Demo", due_date=timezone.localdate())

    timeline = build_timeline(deal, user=rep)
    assert [
        (e.kind, e.activity.subject if e.activity else e.change.field) for e in timeline.history
    ] == [
        ("note", "Budget"),
        ("deal_change", "stage"),
        ("activity", "Intro call"),
    ]
    assert [a.subject for a in timeline.pending] == ["Demo"]
    assert timeline.badges.needs_next_step is False


def test_lead_timeline_shows_status_changes(rep):
    lead = make_lead(owner=rep)
    LeadStatusChange.objects.create(
        lead=lead, from_status="new", to_status="working", changed_at=at(1)
    )
    make_activity(lead=lead, owner=rep, subject="Called", done_at=at(2))
    history = build_timeline(lead, user=rep).history
    assert [e.kind for e in history] == ["lead_change", "activity"]


def test_company_timeline_gathers_its_contacts_and_visible_deals(rep, other_rep):
    company = make_company(owner=rep)
    contact = make_contact(owner=rep, company=company)
    deal = make_opportunity(owner=rep, company=company)
    hidden_deal = make_opportunity(owner=other_rep, company=company)
    make_activity(company=company, owner=rep, subject="About the company", done_at=at(1))
    make_activity(contact=contact, owner=rep, subject="About the contact", done_at=at(2))
    make_activity(opportunity=deal, owner=rep, subject="About the deal", done_at=at(3))
    make_activity(opportunity=hidden_deal, owner=other_rep, subject="Secret", done_at=at(4))

    history = build_timeline(company, user=rep).history
    assert [e.activity.subject for e in history] == [
        "About the company",
        "About the contact",
        "About the deal",
    ]


def test_contact_timeline_gathers_its_deals(rep):
    contact = make_contact(owner=rep)
    deal = make_opportunity(owner=rep, contact=contact)
    make_activity(opportunity=deal, owner=rep, subject="Deal call", done_at=at(1))
    make_activity(contact=contact, owner=rep, subject="Contact email", done_at=at(2))
    history = build_timeline(contact, user=rep).history
    assert [e.activity.subject for e in history] == ["Deal call", "Contact email"]


def test_timeline_page_renders_each_entry(rep_client, deal, rep, htmx_headers):
    make_activity(opportunity=deal, owner=rep, subject="Intro call", outcome="Keen", done_at=at(1))
    OpportunityChange.objects.create(
        opportunity=deal,
        field="created",
        new_value="Proposal",
        to_stage=deal.stage,
        changed_at=at(5),
    )
    html = rep_client.get(
        f"/activities/timeline/?opportunity={deal.pk}", headers=htmx_headers
    ).content.decode()
    assert "Intro call" in html and "Keen" in html and "Created in Proposal" in html


def test_lead_timeline_says_how_the_lead_started(rep_client, rep, htmx_headers):
    lead = make_lead(owner=rep)
    LeadStatusChange.objects.create(lead=lead, from_status="", to_status="new", changed_at=at(2))
    LeadStatusChange.objects.create(
        lead=lead, from_status="new", to_status="working", changed_at=at(1)
    )

    html = rep_client.get(f"/activities/timeline/?lead={lead.pk}", headers=htmx_headers).text

    assert "<div>Created as New</div>" in html
    assert "<div>Status: New → Working</div>" in html
    assert "Status:  →" not in html and "Status: →" not in html


def _fill(kind, record, rep, rows):
    for number in range(rows):
        make_activity(owner=rep, subject=f"Done {number}", done_at=at(number + 1), **{kind: record})
        make_activity(owner=rep, subject=f"Todo {number}", **{kind: record})
        if kind == "opportunity":
            OpportunityChange.objects.create(
                opportunity=record, field="amount", new_value=str(number)
            )
        if kind == "lead":
            LeadStatusChange.objects.create(lead=record, from_status="new", to_status="working")


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("kind", "queries"),
    # the record's badges, its activities, its fields' changes, and (deals and leads) their
    # own history
    [("opportunity", 4), ("lead", 4), ("contact", 3), ("company", 3)],
)
def test_timeline_query_count(rep, rows, kind, queries, django_assert_num_queries):
    record = {
        "opportunity": make_opportunity,
        "lead": make_lead,
        "contact": make_contact,
        "company": make_company,
    }[kind](owner=rep)
    _fill(kind, record, rep, rows)
    with django_assert_num_queries(queries):
        timeline = build_timeline(record, user=rep)
    assert (len(timeline.pending), len(timeline.history)) == (
        rows,
        rows * (2 if kind in ("opportunity", "lead") else 1),
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_timeline_endpoint_query_count(
    rep_client, deal, rep, rows, htmx_headers, django_assert_num_queries
):
    _fill("opportunity", deal, rep, rows)
    # session, user, the deal (scoped), its badges, its activities, its changes, the changes
    # of its activities' fields
    with django_assert_num_queries(7):
        html = rep_client.get(
            f"/activities/timeline/?opportunity={deal.pk}", headers=htmx_headers
        ).content.decode()
    assert len(re.findall(r'data-entry="activity"', html)) == rows
