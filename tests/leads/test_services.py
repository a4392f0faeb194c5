import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import IntegrityError

from crm.models import Company, Contact
from leads import services
from leads.models import Lead, LeadConversion, LeadStatusChange
from opportunities.models import Opportunity
from tests.factories import make_company, make_contact, make_lead


def statuses(lead):
    return list(
        lead.status_changes.order_by("changed_at", "pk").values_list("from_status", "to_status")
    )


def test_create_lead_records_its_first_status(rep):
    lead = services.create_lead(by=rep, last_name="New", owner=rep)

    assert lead.team == rep.team
    assert statuses(lead) == [("", "new")]


def test_lead_moves_from_new_to_working_to_qualified_with_history(lead, rep):
    services.start_working(lead, by=rep)
    services.qualify(lead, by=rep)

    lead.refresh_from_db()
    assert lead.status == Lead.Status.QUALIFIED
    assert statuses(lead) == [("new", "working"), ("working", "qualified")]
    assert set(lead.status_changes.values_list("changed_by", flat=True)) == {rep.pk}


def test_disqualify_keeps_reason_and_note_and_reopen_clears_them(lead, rep, no_budget):
    services.disqualify(lead, reason=no_budget, note="Next year maybe", by=rep)
    lead.refresh_from_db()
    assert (lead.status, lead.disqualify_reason, lead.disqualify_note) == (
        "disqualified",
        no_budget,
        "Next year maybe",
    )

    services.reopen(lead, by=rep)
    lead.refresh_from_db()
    assert (lead.status, lead.disqualify_reason, lead.disqualify_note) == ("new", None, "")
    assert statuses(lead) == [("new", "disqualified"), ("disqualified", "new")]


def test_transitions_the_status_does_not_allow_are_refused(lead, rep):
    with pytest.raises(services.LeadError):
        services.reopen(lead, by=rep)
    services.qualify(lead, by=rep)
    with pytest.raises(services.LeadError):
        services.start_working(lead, by=rep)
    assert LeadStatusChange.objects.filter(lead=lead).count() == 1


def test_assign_hands_leads_and_team_to_the_new_owner(rep, teammate, manager):
    leads = [make_lead(owner=rep), make_lead(owner=rep)]

    changed = services.assign(leads, owner=teammate, by=manager)

    assert changed == 2
    assert (
        list(Lead.objects.filter(owner=teammate).values_list("team", flat=True))
        == [teammate.team_id] * 2
    )
    assert LeadStatusChange.objects.filter(note="Assigned to Bob Rep").count() == 2


def test_disqualify_many_skips_leads_that_are_not_open(rep, manager, no_budget):
    open_lead = make_lead(owner=rep)
    done = make_lead(owner=rep, status=Lead.Status.DISQUALIFIED)

    assert services.disqualify_many([open_lead, done], reason=no_budget, by=manager) == 1
    open_lead.refresh_from_db()
    assert open_lead.disqualify_reason == no_budget


# --- conversion -------------------------------------------------------------------------


def test_convert_to_new_contact_and_company_without_opportunity(lead, rep):
    conversion = services.convert_lead(lead, by=rep, create_company=True, company_name="Acme")

    contact = conversion.contact
    assert (contact.full_name, contact.email, contact.phone, contact.owner) == (
        "Jane Doe",
        "Jane.Doe@acme.example",
        "+34600111222",  # the lead's number, stored in E.164 on the contact
        rep,
    )
    assert conversion.company.name == "Acme"
    assert conversion.company.email_domain == "acme.example"
    assert contact.company == conversion.company
    assert conversion.opportunity is None
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONVERTED
    assert lead.conversion == conversion
    assert statuses(lead)[-1] == ("new", "converted")


def test_convert_links_existing_contact_and_company_and_creates_an_opportunity(
    lead, rep, first_stage
):
    company = make_company(name="Acme Ltd", owner=rep)
    contact = make_contact(last_name="Doe", email="jane.doe@acme.example", owner=rep)
    close = datetime.date(2027, 3, 1)

    conversion = services.convert_lead(
        lead,
        by=rep,
        contact=contact,
        company=company,
        create_opportunity=True,
        opportunity_name="Acme – Jane Doe",
        amount=Decimal("12000"),
        stage=first_stage,
        expected_close_date=close,
    )

    assert (Contact.objects.count(), Company.objects.count()) == (1, 1)
    assert (conversion.contact, conversion.company) == (contact, company)
    contact.refresh_from_db()
    assert contact.company == company
    opportunity = conversion.opportunity
    assert (opportunity.name, opportunity.amount, opportunity.stage, opportunity.lead) == (
        "Acme – Jane Doe",
        Decimal("12000"),
        first_stage,
        lead,
    )
    assert (opportunity.company, opportunity.contact, opportunity.owner) == (company, contact, rep)
    assert opportunity.expected_close_date == close
    assert list(lead.opportunities.all()) == [opportunity]


def test_convert_with_new_contact_and_no_company(lead, rep):
    conversion = services.convert_lead(lead, by=rep)

    assert conversion.company is None
    assert conversion.contact.company is None
    assert Company.objects.count() == 0


def test_converted_lead_is_read_only(lead, rep, no_budget):
    services.convert_lead(lead, by=rep)

    for transition in (services.start_working, services.qualify, services.reopen):
        with pytest.raises(services.LeadError):
            transition(lead, by=rep)
    with pytest.raises(services.LeadError):
        services.disqualify(lead, reason=no_budget, by=rep)
    with pytest.raises(services.LeadError):
        services.update_lead(lead, by=rep, last_name="Changed")


def test_converting_twice_returns_the_first_conversion(lead, rep, first_stage):
    first = services.convert_lead(lead, by=rep, create_opportunity=True, stage=first_stage)
    second = services.convert_lead(lead, by=rep, create_opportunity=True, stage=first_stage)

    assert second == first
    assert (LeadConversion.objects.count(), Contact.objects.count()) == (1, 1)
    assert Opportunity.objects.count() == 1


def test_a_failure_in_the_middle_leaves_nothing_behind(lead, rep, first_stage):
    with (
        mock.patch("leads.services.create_deal", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.convert_lead(
            lead, by=rep, create_company=True, create_opportunity=True, stage=first_stage
        )

    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW
    assert (Contact.objects.count(), Company.objects.count()) == (0, 0)
    assert (LeadConversion.objects.count(), Opportunity.objects.count()) == (0, 0)
    assert statuses(lead) == []


def test_the_unique_conversion_is_the_backstop_when_a_read_misses_it(lead, rep):
    """As if another transaction converted the lead after our check: the insert fails on the
    unique lead column, our contact is rolled back and theirs is returned."""
    theirs = services.convert_lead(lead, by=rep)
    Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.QUALIFIED)

    real = services._existing_conversion
    calls = []

    def missed_once(locked):
        calls.append(locked.pk)
        return None if len(calls) == 1 else real(locked)

    with mock.patch("leads.services._existing_conversion", side_effect=missed_once):
        result = services.convert_lead(lead, by=rep, create_company=True)

    assert result == theirs
    assert (Contact.objects.count(), Company.objects.count()) == (1, 0)


def test_an_unrelated_integrity_error_is_not_swallowed(lead, rep):
    with (
        mock.patch.object(LeadConversion.objects, "create", side_effect=IntegrityError("x")),
        pytest.raises(IntegrityError),
    ):
        services.convert_lead(lead, by=rep)
    assert Contact.objects.count() == 0


def test_disqualified_lead_cannot_be_converted(lead, rep, no_budget):
    services.disqualify(lead, reason=no_budget, by=rep)

    with pytest.raises(services.LeadError):
        services.convert_lead(lead, by=rep)
    assert Contact.objects.count() == 0


def test_suggested_opportunity_name_uses_company_and_lead(lead):
    assert services.suggested_opportunity_name(lead) == "Acme – Jane Doe"
    assert services.suggested_opportunity_name(lead, make_company(name="Acme Ltd")) == (
        "Acme Ltd – Jane Doe"
    )


def test_a_lead_a_manager_keeps_is_filed_under_the_team_they_run(manager, rep, north):
    # Mia runs North without being one of its members.
    own = services.create_lead(by=manager, last_name="Garcia", owner=manager)
    taken_over = services.create_lead(by=rep, last_name="Lopez", owner=rep)
    taken_over.team = None
    taken_over.save(update_fields=["team"])
    services.assign([taken_over], owner=manager, by=manager)

    assert (own.team, Lead.objects.get(pk=taken_over.pk).team) == (north, north)


def test_a_lead_handed_over_from_its_form_says_so_in_its_history(rep, teammate, manager):
    lead = services.create_lead(by=rep, last_name="Garcia", owner=rep)

    services.update_lead(lead, by=manager, owner=teammate)
    services.update_lead(lead, by=manager, company_name="Garcia SL")

    notes = list(lead.status_changes.order_by("pk").values_list("note", flat=True))
    assert notes == ["", "Assigned to Bob Rep"]
