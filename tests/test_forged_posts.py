"""Forms accept only their own fields.

Every form that creates or edits a record is posted with its own values plus fields it does not
offer (an owner or team from another team, a status, a version, flags, a role...). The saved row
must differ from what it was only in the fields the form offers; and wherever the form offers an
owner, nobody outside ``User.objects.assignable_by(user)`` can be chosen.
"""

import datetime
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from crm.models import Company, Contact, User
from leads.forms import WebLeadForm
from leads.models import Lead, LeadImport
from opportunities.models import Opportunity, Pipeline
from tests.factories import (
    make_activity,
    make_company,
    make_contact,
    make_lead,
    make_lost_reason,
    make_opportunity,
    make_pipeline,
)

PAST = "2001-02-03T04:05:06Z"


@pytest.fixture
def forged(other_rep, south):
    """Fields no form here offers, with values that would hand the record to the South team,
    close it, or make someone an administrator."""
    return {
        "owner": other_rep.pk,
        "team": south.pk,
        "status": "won",
        "version": "99",
        "probability_is_manual": "on",
        "closed_date": "2001-01-01",
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "",
        "role": User.Role.ADMIN,
        "username": "hijacked",
        "groups": "1",
        "converted": "on",
        "created_at": PAST,
        "updated_at": PAST,
        "created_by": other_rep.pk,
        "done_by": other_rep.pk,
        "done_at": PAST,
        "disqualify_reason": "1",
        "lead": "1",
        "total": "999",
        "imported": "999",
        "rejected_csv": "=HYPERLINK(1)",
        "content": "x",
    }


def without(data: dict, *names: str) -> dict:
    return {key: value for key, value in data.items() if key not in names}


def row(instance) -> dict:
    """Every stored column of ``instance``, read again from the database."""
    fresh = type(instance)._base_manager.get(pk=instance.pk)
    return {field.attname: getattr(fresh, field.attname) for field in fresh._meta.concrete_fields}


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]} - {"updated_at"}


@pytest.fixture
def stages(db):
    Pipeline.objects.update(is_default=False)
    return list(make_pipeline(name="Sales", is_default=True).stages.order_by("order"))


# --- Companies and contacts ---------------------------------------------------------------


def test_creating_a_company_takes_nothing_but_its_own_fields(rep_client, rep, north, forged):
    response = rep_client.post(
        reverse("crm:company_create"),
        without(forged, "owner") | {"name": "Acme", "owner": rep.pk},
    )

    company = Company.objects.get()
    assert response["Location"] == company.get_absolute_url()
    assert (company.name, company.owner, company.team) == ("Acme", rep, north)
    assert company.created_at.year == timezone.now().year


@pytest.mark.parametrize(
    ("make", "name", "edit", "typed", "field"),
    [
        (make_company, "Acme", "crm:company_edit", {"name": "Acme Ltd"}, "name"),
        (
            make_contact,
            "Pat Doe",
            "crm:contact_edit",
            {"first_name": "Pat", "last_name": "Dough"},
            "last_name",
        ),
        (
            make_lead,
            "Lee Doe",
            "leads:edit",
            {"first_name": "Lee", "last_name": "Dough"},
            "last_name",
        ),
    ],
    ids=["company", "contact", "lead"],
)
def test_editing_a_record_changes_only_what_the_form_offers(
    rep_client, rep, forged, make, name, edit, typed, field
):
    record = make(name=name, owner=rep)
    before = row(record)

    rep_client.post(
        reverse(edit, args=[record.pk]),
        without(forged, "owner", "version") | typed | {"owner": rep.pk, "version": record.version},
    )

    after = row(record)
    assert changed(before, after) == {field, "version"}
    assert after["version"] == before["version"] + 1


def test_creating_a_contact_takes_nothing_but_its_own_fields(rep_client, rep, north, forged):
    rep_client.post(
        reverse("crm:contact_create"),
        without(forged, "owner") | {"last_name": "Doe", "owner": rep.pk},
    )

    contact = Contact.objects.get()
    assert (contact.last_name, contact.owner, contact.team) == ("Doe", rep, north)


def test_a_contact_cannot_be_filed_under_another_teams_company(rep_client, rep, other_rep):
    theirs = make_company(name="Southern", owner=other_rep)

    response = rep_client.post(
        reverse("crm:contact_create"),
        {"last_name": "Doe", "owner": rep.pk, "company": theirs.pk, "create_anyway": "on"},
    )

    assert "Select a valid choice" in response.content.decode()
    assert Contact.objects.count() == 0


# --- Leads ---------------------------------------------------------------------------------


def test_creating_a_lead_takes_nothing_but_its_own_fields(rep_client, rep, north, forged):
    rep_client.post(
        reverse("leads:create"), without(forged, "owner") | {"last_name": "Doe", "owner": rep.pk}
    )

    lead = Lead.objects.get()
    assert (lead.last_name, lead.owner, lead.team, lead.status) == ("Doe", rep, north, "new")
    assert list(lead.status_changes.values_list("to_status", flat=True)) == ["new"]


def test_changing_a_leads_status_takes_only_the_action(rep_client, rep, forged):
    lead = make_lead(last_name="Doe", owner=rep)
    before = row(lead)

    rep_client.post(
        reverse("leads:change_status", args=[lead.pk]), forged | {"action": "start_working"}
    )

    after = row(lead)
    assert changed(before, after) == {"status", "version"}
    assert after["status"] == "working"


def test_converting_a_lead_takes_nothing_but_its_own_fields(rep_client, rep, north, stages, forged):
    lead = make_lead(last_name="Doe", company_name="Acme", owner=rep)

    rep_client.post(
        reverse("leads:convert", args=[lead.pk]),
        without(forged, "owner", "status", "version", "probability_is_manual", "closed_date")
        | {
            "contact": "new",
            "company": "new",
            "company_name": "Acme",
            "create_opportunity": "on",
            "opportunity_name": "Acme deal",
            "amount": "100",
            "stage": stages[0].pk,
            "expected_close_date": "2031-01-31",
            "owner": rep.pk,
        }
        | {"status": "won", "version": "99", "probability_is_manual": "on"},
    )

    deal = Opportunity.objects.get()
    assert (deal.owner, deal.team, deal.status, deal.version) == (rep, north, "open", 1)
    assert (deal.probability, deal.probability_is_manual) == (stages[0].probability, False)
    contact = Contact.objects.get()
    assert (contact.owner, contact.team) == (rep, north)
    assert Company.objects.get().team == north


# --- Opportunities -------------------------------------------------------------------------


def deal_form(stage, **overrides) -> dict:
    return {
        "name": "Widgets",
        "pipeline": stage.pipeline_id,
        "stage": stage.pk,
        "amount": "2500",
        "currency": "EUR",
        "probability": "",
        "expected_close_date": "2031-03-31",
        "forecast_category": "",
        "notes": "",
    } | overrides


def test_creating_a_deal_takes_nothing_but_its_own_fields(rep_client, rep, north, stages, forged):
    rep_client.post(
        reverse("opportunities:create"),
        forged | deal_form(stages[0], owner=rep.pk) | {"version": "99"},
    )

    deal = Opportunity.objects.get()
    assert (deal.owner, deal.team, deal.status, deal.version) == (rep, north, "open", 1)
    assert (deal.closed_date, deal.probability_is_manual) == (None, False)


def test_editing_a_deal_changes_only_what_the_form_offers(rep_client, rep, stages, forged):
    deal = make_opportunity(name="Widgets", owner=rep, stage=stages[0])
    before = row(deal)

    rep_client.post(
        reverse("opportunities:edit", args=[deal.pk]),
        without(forged, "version")
        | deal_form(
            stages[0],
            owner=rep.pk,
            name="Gadgets",
            amount=str(deal.amount),
            expected_close_date=deal.expected_close_date.isoformat(),
            version=deal.version,
        ),
    )

    after = row(deal)
    assert changed(before, after) == {"name", "version"}
    assert after["version"] == before["version"] + 1


def test_quick_edit_changes_only_what_it_offers(rep_client, rep, stages, forged):
    deal = make_opportunity(owner=rep, stage=stages[0], amount=Decimal("100"))
    before = row(deal)

    rep_client.post(
        reverse("opportunities:quick_edit", args=[deal.pk]),
        forged
        | {
            "stage": stages[0].pk,
            "amount": "200",
            "probability": str(deal.probability),
            "expected_close_date": deal.expected_close_date.isoformat(),
            "version": deal.version,
        },
    )

    assert changed(before, row(deal)) == {"amount", "version"}


def test_moving_a_deal_changes_only_its_stage(rep_client, rep, stages, forged):
    deal = make_opportunity(owner=rep, stage=stages[0])
    before = row(deal)

    rep_client.post(reverse("opportunities:move", args=[deal.pk]), forged | {"stage": stages[1].pk})

    assert changed(before, row(deal)) == {"stage_id", "probability", "version"}


def test_a_deal_cannot_move_into_another_pipelines_stage(rep_client, rep, stages):
    deal = make_opportunity(owner=rep, stage=stages[0])
    elsewhere = make_pipeline(name="Renewals").stages.first()
    before = row(deal)

    rep_client.post(reverse("opportunities:move", args=[deal.pk]), {"stage": elsewhere.pk})

    assert changed(before, row(deal)) == set()


def test_losing_a_deal_takes_only_the_reason_and_competitor(rep_client, rep, stages, forged):
    deal = make_opportunity(owner=rep, stage=stages[0])
    price = make_lost_reason(name="Forged price")
    before = row(deal)

    rep_client.post(
        reverse("opportunities:lost", args=[deal.pk]),
        without(forged, "status") | {"reason": price.pk, "competitor": "Rival", "status": "won"},
    )

    after = row(deal)
    assert changed(before, after) == {
        "status",
        "probability",
        "lost_reason_id",
        "competitor",
        "closed_date",
        "version",
    }
    assert (after["status"], after["closed_date"]) == ("lost", timezone.localdate())


# --- Activities ----------------------------------------------------------------------------


def test_logging_an_activity_takes_nothing_but_its_own_fields(rep_client, rep, north, forged):
    deal = make_opportunity(owner=rep)
    other = make_opportunity()

    rep_client.post(
        f"/activities/log/?opportunity={deal.pk}",
        forged
        | {
            "kind": "call",
            "subject": "Called",
            "done_on": timezone.localdate().isoformat(),
            "opportunity": other.pk,
        },
    )

    activity = Activity.objects.get()
    assert (activity.opportunity, activity.owner, activity.team) == (deal, rep, north)
    assert (activity.done_by, activity.created_at.year) == (rep, timezone.now().year)


def test_scheduling_an_activity_takes_nothing_but_its_own_fields(rep_client, rep, north, forged):
    deal = make_opportunity(owner=rep)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    rep_client.post(
        f"/activities/schedule/?opportunity={deal.pk}",
        forged | {"kind": "call", "subject": "Call back", "due_date": tomorrow.isoformat()},
    )

    activity = Activity.objects.get()
    assert (activity.opportunity, activity.owner, activity.team) == (deal, rep, north)
    assert (activity.done_at, activity.done_by) == (None, None)


def test_completing_an_activity_changes_only_the_outcome_and_done(rep_client, rep, forged):
    lead = make_lead(owner=rep)
    call = make_activity(lead=lead, owner=rep, subject="Call")
    before = row(call)

    rep_client.post(
        f"/activities/{call.pk}/complete/",
        forged | {"outcome": "Reached", "next_kind": "call", "version": call.version},
    )

    assert changed(before, row(call)) == {"outcome", "done_at", "done_by_id", "version"}
    assert row(call)["done_by_id"] == rep.pk


# --- Profile and public form --------------------------------------------------------------


def test_the_profile_changes_only_names_email_and_language(rep_client, rep, forged):
    before = row(rep)

    rep_client.post(
        reverse("profile"),
        forged | {"first_name": "Alicia", "last_name": "Rep", "email": "a@x.example"},
    )

    assert changed(before, row(rep)) == {"first_name", "email"}


def test_the_public_form_takes_nothing_but_its_own_fields(client, db, forged, settings):
    settings.WEB_LEADS_TEAM = ""
    started = WebLeadForm.start_token("127.0.0.1", now=time.time() - 60)

    response = client.post(
        reverse("leads:web_form"),
        forged
        | {
            "name": "Jane Doe",
            "email": "jane@example.com",
            "started": started,
            "source": "1",
        },
    )

    assert response["Location"] == f"{reverse('leads:web_form')}?sent=1"
    lead = Lead.objects.get()
    assert (lead.owner, lead.team, lead.status, lead.source.code) == (None, None, "new", "web")


# --- CSV import ----------------------------------------------------------------------------


@pytest.fixture
def uploaded(manager_client, manager):
    csv_file = SimpleUploadedFile("people.csv", b"Name,Email\nJane Doe,jane@x.example\n")
    manager_client.post(reverse("leads:import"), {"file": csv_file})
    return LeadImport.objects.get()


def test_the_import_mapping_takes_nothing_but_its_own_fields(
    manager_client, manager, rep, north, uploaded, forged
):
    before = row(uploaded)

    manager_client.post(
        reverse("leads:import_map", args=[uploaded.pk]),
        without(forged, "owner") | {"column_0": "full_name", "column_1": "email", "owner": rep.pk},
    )

    after = row(uploaded)
    assert changed(before, after) == {"owner_id", "skip_duplicates"}
    assert (after["owner_id"], after["team_id"], after["status"]) == (rep.pk, north.pk, "uploaded")


# --- Owners outside the user's reach ------------------------------------------------------


@pytest.fixture
def outsider_cases(rep, stages):
    """(url, valid data without an owner) for every form that offers an owner."""
    lead = make_lead(last_name="Doe", company_name="Acme", owner=rep)
    deal = make_opportunity(name="Widgets", owner=rep, stage=stages[0])
    company = make_company(name="Acme", owner=rep)
    contact = make_contact(last_name="Doe", owner=rep)
    return {
        "company create": (reverse("crm:company_create"), {"name": "New", "create_anyway": "on"}),
        "company edit": (reverse("crm:company_edit", args=[company.pk]), {"name": "Acme"}),
        "contact create": (
            reverse("crm:contact_create"),
            {"last_name": "New", "create_anyway": "on"},
        ),
        "contact edit": (reverse("crm:contact_edit", args=[contact.pk]), {"last_name": "Doe"}),
        "lead create": (reverse("leads:create"), {"last_name": "New"}),
        "lead edit": (reverse("leads:edit", args=[lead.pk]), {"last_name": "Doe"}),
        "deal create": (reverse("opportunities:create"), deal_form(stages[0])),
        "deal edit": (
            reverse("opportunities:edit", args=[deal.pk]),
            deal_form(stages[0], version=deal.version),
        ),
        "lead convert": (
            reverse("leads:convert", args=[lead.pk]),
            {
                "contact": "new",
                "company": "new",
                "company_name": "Acme",
                "create_opportunity": "on",
                "opportunity_name": "Acme deal",
                "stage": stages[0].pk,
                "expected_close_date": "2031-01-31",
            },
        ),
    }


CASES = [
    "company create",
    "company edit",
    "contact create",
    "contact edit",
    "lead create",
    "lead edit",
    "deal create",
    "deal edit",
    "lead convert",
]


def counts() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", "owner_id"))
        for model in (Company, Contact, Lead, Opportunity)
    }


@pytest.mark.parametrize("case", CASES)
def test_nobody_outside_the_assignable_people_can_be_made_owner(
    rep_client, rep, other_rep, manager, outsider_cases, case
):
    url, data = outsider_cases[case]
    assert not User.objects.assignable_by(rep).filter(pk=other_rep.pk).exists()
    before = counts()

    response = rep_client.post(url, data | {"owner": other_rep.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert counts() == before


def test_a_manager_cannot_hand_a_bulk_of_leads_to_another_team(manager_client, rep, other_rep):
    lead = make_lead(owner=rep)

    manager_client.post(
        reverse("leads:bulk"), {"action": "assign", "leads": [lead.pk], "owner": other_rep.pk}
    )

    lead.refresh_from_db()
    assert lead.owner == rep


def test_the_import_cannot_give_leads_to_another_team(manager_client, manager, other_rep, uploaded):
    response = manager_client.post(
        reverse("leads:import_map", args=[uploaded.pk]),
        {"column_0": "full_name", "owner": other_rep.pk, "start": "1"},
    )

    uploaded.refresh_from_db()
    assert "Select a valid choice" in response.content.decode()
    assert (uploaded.status, uploaded.owner, Lead.objects.count()) == ("uploaded", manager, 0)
