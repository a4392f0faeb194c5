"""Deleting moves a record, and what depends on it, to the trash: gone from every list, search,
board, report and API answer until it is restored, with what went with it, or deleted for good."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from audit.models import FieldChange
from crm.models import Company, Contact, SecurityEvent, TrashBatch
from crm.trash import (
    PurgeRefused,
    RestoreRefused,
    purge_batch,
    purge_expired_trash,
    restore_batch,
    trash_record,
)
from infra.toasts import undo_of
from leads.models import Lead
from opportunities.models import Opportunity
from tests.factories import (
    make_activity,
    make_company,
    make_contact,
    make_lead,
    make_opportunity,
)


def batch_of(record) -> TrashBatch:
    return type(record).with_trash.get(pk=record.pk).trash_batch


# --- deleting ---------------------------------------------------------------------------------


def test_deleting_a_deal_takes_its_activities_to_the_trash(rep, rep_client):
    deal = make_opportunity(owner=rep, name="Cobalt renewal")
    make_activity(opportunity=deal, owner=rep, subject="Call about the renewal")
    make_activity(opportunity=make_opportunity(owner=rep), owner=rep, subject="Other call")

    confirm = rep_client.get(reverse("opportunities:delete", args=[deal.pk]))
    response = rep_client.post(reverse("opportunities:delete", args=[deal.pk]), follow=True)

    assert "1 activity" in confirm.text
    assert "Opportunity “Cobalt renewal” was deleted." in response.text
    assert list(Opportunity.objects.filter(pk=deal.pk)) == []
    assert [a.subject for a in Activity.objects.all()] == ["Other call"]
    batch = batch_of(deal)
    assert (batch.label, batch.along, batch.deleted_by) == ("Cobalt renewal", 1, rep)
    assert Activity.with_trash.get(subject="Call about the renewal").trash_batch == batch


def test_a_trashed_deal_is_in_no_list_search_board_report_or_api(
    rep, rep_client, manager_client, api_client, stages
):
    kept = make_opportunity(owner=rep, name="Kept deal", stage=stages[0], amount=Decimal(100))
    gone = make_opportunity(owner=rep, name="Gone deal", stage=stages[0], amount=Decimal(900))
    trash_record(gone, by=rep)

    listed = rep_client.get(reverse("opportunities:list"))
    found = rep_client.get(reverse("search:search"), {"q": "deal"})
    board = rep_client.get(reverse("opportunities:board"))
    api = api_client(rep).get("/api/v1/opportunities/").json()
    report = manager_client.get(reverse("reports:pipeline")).context["report"]

    assert [deal.name for deal in listed.context["page_obj"]] == ["Kept deal"]
    assert [str(row) for group in found.context["groups"] for row in group.rows] == ["Kept deal"]
    assert "Gone deal" not in board.text and "Kept deal" in board.text
    assert [deal["id"] for deal in api["results"]] == [kept.pk]
    assert report["totals"]["count"] == 1
    assert api_client(rep).get(f"/api/v1/opportunities/{gone.pk}/").status_code == 404
    assert rep_client.get(gone.get_absolute_url()).status_code == 404


def test_deleting_a_company_empties_its_contacts_link_and_restoring_sets_it_again(rep):
    company = make_company(owner=rep, name="Cobalt")
    contact = make_contact(owner=rep, company=company)

    trash_record(company, by=rep)
    contact.refresh_from_db()
    assert contact.company_id is None
    assert list(Contact.objects.all()) == [contact]

    restore_batch(batch_of(company), by=rep)
    contact.refresh_from_db()
    assert contact.company_id == company.pk
    assert TrashBatch.objects.count() == 0


def test_a_company_with_deals_is_kept_unless_they_go_to_the_trash_with_it(rep, rep_client):
    company = make_company(owner=rep, name="Busy")
    deal = make_opportunity(company=company, owner=rep)
    make_activity(opportunity=deal, owner=rep)
    url = reverse("crm:company_delete", args=[company.pk])

    confirm = rep_client.get(url)
    refused = rep_client.post(url)
    assert "1 opportunity" in confirm.text
    assert "Delete it with them" in confirm.text
    assert "cannot be deleted" in refused.text
    assert Company.objects.filter(pk=company.pk).exists()

    rep_client.post(url, {"along": "1"})

    assert list(Company.objects.filter(pk=company.pk)) == []
    assert list(Opportunity.objects.all()) == []
    assert list(Activity.objects.all()) == []
    assert batch_of(company).along == 2

    restore_batch(batch_of(company), by=rep)
    assert list(Opportunity.objects.all()) == [deal]
    assert Activity.objects.count() == 1


def test_a_converted_lead_cannot_be_taken_along(rep, rep_client):
    from leads.models import LeadConversion

    contact = make_contact(owner=rep)
    LeadConversion.objects.create(lead=make_lead(owner=rep), contact=contact, converted_by=rep)

    confirm = rep_client.get(reverse("crm:contact_delete", args=[contact.pk]))

    assert "1 lead conversion" in confirm.text
    assert "Delete it with them" not in confirm.text


def test_another_reps_deals_are_never_taken_along(rep, rep_client, other_rep):
    company = make_company(owner=rep)
    make_opportunity(company=company, owner=other_rep)

    confirm = rep_client.get(reverse("crm:company_delete", args=[company.pk]))
    rep_client.post(reverse("crm:company_delete", args=[company.pk]), {"along": "1"})

    assert "Delete it with them" not in confirm.text
    assert Company.objects.filter(pk=company.pk).exists()


def test_deleting_a_lead_and_an_activity_from_their_pages(rep, rep_client):
    lead = make_lead(owner=rep, first_name="Ana", last_name="Iglesias")
    activity = make_activity(lead=make_lead(owner=rep), owner=rep, subject="Ring back")

    rep_client.post(reverse("leads:delete", args=[lead.pk]))
    response = rep_client.post(reverse("activities:delete", args=[activity.pk]))

    assert list(Lead.objects.filter(pk=lead.pk)) == []
    assert list(Activity.objects.all()) == []
    assert response.url == activity.lead.get_absolute_url()


def test_another_reps_record_cannot_be_deleted(rep_client, other_rep):
    deal = make_opportunity(owner=other_rep)

    response = rep_client.post(reverse("opportunities:delete", args=[deal.pk]))

    assert response.status_code == 404
    assert Opportunity.objects.filter(pk=deal.pk).exists()


def test_duplicate_checks_ignore_trashed_records(rep):
    company = make_company(owner=rep, name="Cobalt", email_domain="cobalt.example")
    trash_record(company, by=rep)

    assert list(Company.objects.matching(name="Cobalt", domains=["cobalt.example"])) == []


# --- restoring ----------------------------------------------------------------------------------


def test_the_toast_undo_restores_what_was_deleted(rep, rep_client):
    deal = make_opportunity(owner=rep, name="Cobalt renewal")
    make_activity(opportunity=deal, owner=rep)
    deleted = rep_client.post(reverse("opportunities:delete", args=[deal.pk]), follow=True)
    [message] = deleted.context["messages"]
    restore_url = reverse("crm:trash_restore", args=[batch_of(deal).pk])
    assert undo_of(message).url == restore_url
    assert f'action="{restore_url}"' in deleted.text

    response = rep_client.post(restore_url, follow=True)

    assert response.redirect_chain[-1][0] == deal.get_absolute_url()
    assert "“Cobalt renewal” was restored with 1 record that went with it." in response.text
    assert list(Opportunity.objects.all()) == [deal]
    assert Activity.objects.count() == 1


def test_a_deal_whose_company_is_in_the_trash_waits_for_it(rep, rep_client):
    company = make_company(owner=rep, name="Cobalt")
    deal = make_opportunity(owner=rep, company=company, name="Renewal")
    trash_record(deal, by=rep)
    trash_record(company, by=rep)  # its one deal is in the trash already

    with pytest.raises(RestoreRefused) as refused:
        restore_batch(batch_of(deal), by=rep)
    response = rep_client.post(reverse("crm:trash_restore", args=[batch_of(deal).pk]), follow=True)

    assert str(refused.value) == (
        "“Renewal” belongs to records that are in the trash: restore “Cobalt” first."
    )
    assert str(refused.value) in response.text
    assert list(Opportunity.objects.all()) == []

    restore_batch(batch_of(company), by=rep)
    restore_batch(batch_of(deal), by=rep)
    assert list(Opportunity.objects.all()) == [deal]


def test_restoring_and_deleting_tell_the_webhooks(rep, monkeypatch):
    told = []
    monkeypatch.setattr("infra.events._listeners", [lambda name, rows: told.append((name, rows))])
    deal = make_opportunity(owner=rep)
    activity = make_activity(opportunity=deal, owner=rep)

    trash_record(deal, by=rep)
    restore_batch(batch_of(deal), by=rep)

    assert [(name, [row.pk for row in rows]) for name, rows in told] == [
        ("opportunity.deleted", [deal.pk]),
        ("activity.deleted", [activity.pk]),
        ("opportunity.restored", [deal.pk]),
        ("activity.restored", [activity.pk]),
    ]


# --- deleting for good --------------------------------------------------------------------------


def test_purge_trash_deletes_for_good_what_is_older_than_trash_days(rep, settings):
    settings.TRASH_DAYS = 30
    old = make_opportunity(owner=rep, name="Old deal")
    edited = make_activity(opportunity=old, owner=rep)
    edited.subject = "Call back"
    edited.save()
    assert FieldChange.objects.of_any(Activity, [edited.pk]).count() == 1
    recent = make_opportunity(owner=rep, name="Recent deal")
    trash_record(old, by=rep)
    trash_record(recent, by=rep)
    TrashBatch.objects.filter(label="Old deal").update(
        deleted_at=timezone.now() - datetime.timedelta(days=31)
    )

    out = io.StringIO()
    call_command("purge_trash", stdout=out)

    assert list(Opportunity.with_trash.values_list("name", flat=True)) == ["Recent deal"]
    assert Activity.with_trash.count() == 0
    assert list(TrashBatch.objects.values_list("label", flat=True)) == ["Recent deal"]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TRASH_PURGED)
    assert (event.actor, event.target_text, event.details["records"]) == (None, "Old deal", 2)
    assert FieldChange.objects.of_any(Activity, [edited.pk]).count() == 0
    assert out.getvalue() == "2 record(s) deleted for good from the trash.\n"


def test_a_company_is_not_deleted_for_good_while_a_trashed_deal_needs_it(rep):
    company = make_company(owner=rep, name="Cobalt")
    trash_record(make_opportunity(owner=rep, company=company), by=rep)
    trash_record(company, by=rep)

    with pytest.raises(PurgeRefused):
        purge_batch(batch_of(company), by=rep)

    assert Company.with_trash.filter(pk=company.pk).exists()
    # The worker takes the deal first (older), then the company.
    assert purge_expired_trash(now=timezone.now() + datetime.timedelta(days=31)) == (2, 0)
    assert TrashBatch.objects.count() == 0


def test_an_admin_deleting_in_the_admin_sends_to_the_trash_too(admin_client, admin_user, rep):
    from leads.models import Lead
    from tests.factories import make_lead

    one, two = make_lead(owner=rep, last_name="One"), make_lead(owner=rep, last_name="Two")
    company = make_company(owner=rep, name="Cobalt")

    admin_client.post(reverse("admin:crm_company_delete", args=[company.pk]), {"post": "yes"})
    admin_client.post(
        reverse("admin:leads_lead_changelist"),
        {"action": "delete_selected", "_selected_action": [one.pk, two.pk], "post": "yes"},
    )

    assert not Company.objects.filter(pk=company.pk).exists()
    assert Company.with_trash.get(pk=company.pk).deleted_at is not None
    assert Lead.objects.filter(pk__in=[one.pk, two.pk]).count() == 0
    assert Lead.with_trash.filter(pk__in=[one.pk, two.pk], deleted_at__isnull=False).count() == 2
    assert TrashBatch.objects.filter(deleted_by=admin_user).count() == 3
