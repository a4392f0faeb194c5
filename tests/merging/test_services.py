"""A manager finds the same customer twice and merges the two records into one."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import Activity
from crm.models import Company, Contact
from leads.models import Lead, LeadConversion
from merging.models import MergedRecord
from merging.services import merge_records
from opportunities.models import Opportunity
from tests.factories import (
    make_activity,
    make_company,
    make_contact,
    make_lead,
    make_opportunity,
)


def test_merging_companies_moves_everything_and_fills_the_gaps(manager, rep, teammate):
    kept = make_company(name="Bodegas Almendral", owner=rep, phone="", notes="Visited in May.")
    twin = make_company(
        name="Bodegas Almendral S.L.",
        owner=teammate,
        phone="+34911222333",
        website="https://www.bodegasalmendral.es",
        notes="Prefers email.",
    )
    contact = make_contact(company=twin, owner=teammate)
    deal = make_opportunity(company=twin, owner=teammate)
    call = make_activity(company=twin, owner=teammate, subject="Call the buyer")

    merge = merge_records(kept, twin, by=manager)

    kept.refresh_from_db()
    assert (kept.name, kept.owner, kept.phone, kept.website) == (
        "Bodegas Almendral",
        rep,
        "+34911222333",
        "https://www.bodegasalmendral.es",
    )
    assert kept.notes == "Visited in May.\n\nPrefers email."
    assert Contact.objects.get(pk=contact.pk).company == kept
    assert Opportunity.objects.get(pk=deal.pk).company == kept
    assert Activity.objects.get(pk=call.pk).company == kept
    assert not Company.objects.filter(pk=twin.pk).exists()
    assert MergedRecord.objects.survivor_of("crm.Company", twin.pk) == kept.pk
    assert sorted(merge.filled) == ["notes", "phone", "website"]
    note = Activity.objects.filter(company=kept, kind=Activity.Kind.NOTE).get()
    assert note.notes == f"Merged with “Bodegas Almendral S.L.” (#{twin.pk})."


def test_a_merge_raises_the_versions_of_what_it_moves(manager, rep):
    kept, twin = make_company(owner=rep), make_company(owner=rep)
    contact = make_contact(company=twin, owner=rep)

    merge_records(kept, twin, by=manager)

    assert Contact.objects.get(pk=contact.pk).version == contact.version + 1
    assert Company.objects.get(pk=kept.pk).version == kept.version + 1


def test_merging_leads_moves_their_history(manager, rep):
    kept = make_lead(owner=rep, email="", phone="+34600111222")
    twin = make_lead(owner=rep, email="ana@example.com")
    make_activity(lead=twin, owner=rep, subject="Qualification call")

    merge_records(kept, twin, by=manager)

    kept.refresh_from_db()
    assert kept.email == "ana@example.com"
    assert list(
        kept.activities.exclude(kind=Activity.Kind.NOTE).values_list("subject", flat=True)
    ) == ["Qualification call"]
    assert not Lead.objects.filter(pk=twin.pk).exists()


def test_a_merge_chain_leads_to_the_last_survivor(manager, rep):
    first, second, third = (make_contact(owner=rep) for _ in range(3))

    merge_records(second, first, by=manager)
    merge_records(third, second, by=manager)

    assert MergedRecord.objects.survivor_of("crm.Contact", first.pk) == third.pk
    assert MergedRecord.objects.survivor_of("crm.Contact", second.pk) == third.pk


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("rep", "Only managers and administrators merge records."),
        ("other_manager", "You can only merge records you can see."),
    ],
)
def test_a_merge_is_refused_to_whoever_may_not_see_both(who, message, rep, other_rep, manager):
    kept, twin = make_company(owner=rep), make_company(owner=other_rep)
    by = rep if who == "rep" else manager

    with pytest.raises(ValidationError) as refused:
        merge_records(kept, twin, by=by)

    assert refused.value.messages == [message]
    assert Company.objects.filter(pk__in=[kept.pk, twin.pk]).count() == 2


def test_a_converted_lead_is_never_merged_away(manager, rep):
    kept = make_lead(owner=rep)
    converted = make_lead(owner=rep, status=Lead.Status.CONVERTED)
    contact = make_contact(owner=rep)
    LeadConversion.objects.create(lead=converted, contact=contact, converted_by=manager)

    with pytest.raises(ValidationError) as refused:
        merge_records(kept, converted, by=manager)

    assert "keep it, and merge the other lead into it" in refused.value.messages[0]
    assert Lead.objects.filter(pk=converted.pk).exists()


def test_a_record_is_not_merged_with_itself(manager, rep):
    company = make_company(owner=rep)

    with pytest.raises(ValidationError):
        merge_records(company, company, by=manager)
