"""Every change to a lead's, contact's, company's or activity's fields is on record: who, what
from and to, when, and through which channel; shown on the record's timeline."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from activities.services import reschedule_activity
from audit.models import Channel, FieldChange
from crm.models import Company, Contact
from leads.models import Lead
from leads.services import assign
from merging.services import merge_records
from tests.factories import make_activity, make_company, make_contact, make_lead
from tests.posted import form_data

JSON = "application/json"


def history(record) -> list[tuple]:
    return list(
        FieldChange.objects.of(record)
        .order_by("pk")
        .values_list("field", "old_value", "new_value", "changed_by", "channel")
    )


def test_a_rep_edits_a_lead_and_its_timeline_says_what_changed(rep_client, rep):
    lead = make_lead(owner=rep, first_name="Jane", last_name="Doe", email="jane@old.example")

    rep_client.post(
        reverse("leads:edit", args=[lead.pk]),
        {"first_name": "Janet", "last_name": "Doe", "owner": rep.pk, "email": "jane@new.example"},
    )

    assert history(lead) == [
        ("first_name", "Jane", "Janet", rep.pk, Channel.PAGE),
        ("email", "jane@old.example", "jane@new.example", rep.pk, Channel.PAGE),
    ]
    body = rep_client.get(lead.get_absolute_url()).content.decode()
    assert "Email: jane@old.example → jane@new.example" in body
    assert "First name: Jane → Janet" in body
    assert "Through: Page" in body


def test_saving_what_is_already_there_records_nothing(rep_client, rep):
    company = make_company(owner=rep, name="Acme", industry="Retail")

    rep_client.post(
        reverse("crm:company_edit", args=[company.pk]),
        {"name": "Acme", "industry": "Retail", "owner": rep.pk},
    )

    assert history(company) == []


def test_a_program_changes_a_contact_through_the_api(rep, api_client):
    contact = make_contact(owner=rep, first_name="Ann", last_name="Lee")

    response = api_client(rep).patch(
        f"/api/v1/contacts/{contact.pk}/", {"job_title": "CFO"}, content_type=JSON
    )

    assert response.status_code == 200
    assert history(contact) == [("job_title", "", "CFO", rep.pk, Channel.API)]


def test_an_admin_renames_a_company_in_the_admin(admin_client, admin_user, rep):
    company = make_company(owner=rep, name="Acme")
    change_url = reverse("admin:crm_company_change", args=[company.pk])
    loaded = form_data(admin_client.get(change_url))

    response = admin_client.post(change_url, loaded | {"name": "Acme Corp"})

    assert response.status_code == 302
    assert ("name", "Acme", "Acme Corp", admin_user.pk, Channel.ADMIN) in history(company)


def test_a_related_record_is_kept_by_its_name_at_the_time(rep_client, rep):
    old, new = make_company(owner=rep, name="Old Co"), make_company(owner=rep, name="New Co")
    contact = make_contact(owner=rep, company=old, first_name="Ann", last_name="Lee")

    rep_client.post(
        reverse("crm:contact_edit", args=[contact.pk]),
        {"first_name": "Ann", "last_name": "Lee", "owner": rep.pk, "company": new.pk},
    )
    Company.objects.filter(pk=new.pk).update(name="Renamed since")

    assert history(contact) == [("company", "Old Co", "New Co", rep.pk, Channel.PAGE)]


def test_a_bulk_assignment_writes_its_history_in_one_insert(manager, rep, other_rep, south):
    leads = [make_lead(owner=rep) for _ in range(3)]
    locked = list(Lead.objects.filter(pk__in=[lead.pk for lead in leads]))

    with CaptureQueriesContext(connection) as queries:
        assign(locked, owner=other_rep, by=manager)

    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "audit_fieldchange"')]
    assert len(inserts) == 1
    for lead in leads:
        # The owner's change is in the lead's status history; the team it moved to is here.
        assert history(lead) == [("team", "North", "South", manager.pk, Channel.SYSTEM)]


def test_a_handed_over_lead_takes_its_open_steps_and_they_say_so(
    rep_client, rep, teammate, client_for
):
    lead = make_lead(owner=rep, last_name="Doe")
    call = make_activity(lead=lead, owner=rep, subject="Call Doe", due_date=datetime.date.today())

    rep_client.post(
        reverse("leads:edit", args=[lead.pk]), {"last_name": "Doe", "owner": teammate.pk}
    )

    assert ("owner", str(rep), str(teammate), rep.pk, Channel.PAGE) in history(call)
    body = client_for(teammate).get(lead.get_absolute_url()).content.decode()
    assert f"Call Doe:</span> Owner: {rep} → {teammate}" in body


def test_a_rescheduled_call_shows_on_its_records_timeline(rep_client, rep):
    contact = make_contact(owner=rep, first_name="Ann", last_name="Lee")
    call = make_activity(
        contact=contact, owner=rep, subject="Call Ann", due_date=datetime.date(2026, 12, 1)
    )
    call = Activity.objects.get(pk=call.pk)

    reschedule_activity(call, by=rep, due_date=datetime.date(2026, 12, 9))

    assert history(call) == [("due_date", "2026-12-01", "2026-12-09", None, Channel.SYSTEM)]
    body = rep_client.get(contact.get_absolute_url()).content.decode()
    assert "Call Ann:</span> Due date: 12/01/2026 → 12/09/2026" in body


def test_a_choice_is_shown_in_the_readers_language(rep, client_for):
    lead = make_lead(owner=rep, last_name="Doe")
    call = make_activity(lead=lead, owner=rep, subject="Ring", kind=Activity.Kind.CALL)
    call = Activity.objects.get(pk=call.pk)
    call.kind = Activity.Kind.MEETING
    call.save()

    rep.language = "es"
    rep.save(update_fields=["language"])
    body = client_for(rep).get(lead.get_absolute_url()).content.decode()

    assert "Llamada → Reunión" in body


def test_a_merge_fills_the_survivor_and_brings_the_others_history(manager, rep):
    survivor = make_contact(owner=rep, first_name="Ann", last_name="Lee", phone="")
    other = make_contact(owner=rep, first_name="Ann", last_name="Lee", phone="+34 600 000 001")
    other_edited = Contact.objects.get(pk=other.pk)
    other_edited.job_title = "CFO"
    other_edited.save()

    merge_records(survivor, other, by=manager)

    changes = history(survivor)
    assert ("job_title", "", "CFO", None, Channel.SYSTEM) in changes
    assert ("phone", "", "+34 600 000 001", None, Channel.MERGE) in changes


def test_the_admin_lists_every_change_for_admins_only(admin_client, manager, client_for, rep):
    company = make_company(owner=rep, name="Acme")
    company = Company.objects.get(pk=company.pk)
    company.name = "Acme Corp"
    company.save()
    url = reverse("admin:audit_fieldchange_changelist")

    response = admin_client.get(url, {"channel": "system"})

    assert response.status_code == 200
    assert "Acme Corp" in response.content.decode()
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    assert client_for(manager).get(url).status_code == 403


@pytest.mark.parametrize("rows", [1, 4])
def test_a_records_page_reads_its_history_in_one_query(
    rep_client, rep, rows, django_assert_num_queries
):
    lead = make_lead(owner=rep, last_name="Doe")
    for number in range(rows):
        edited = Lead.objects.get(pk=lead.pk)
        edited.job_title = f"Title {number}"
        edited.save()
        make_activity(lead=lead, owner=rep, subject=f"Call {number}")
    ContentType.objects.clear_cache()

    with CaptureQueriesContext(connection) as queries:
        response = rep_client.get(lead.get_absolute_url())

    assert response.content.decode().count('data-entry="field_change"') == rows
    audit_queries = [q for q in queries if "audit_fieldchange" in q["sql"]]
    assert len(audit_queries) == 1
    assert not [q for q in queries if q["sql"].startswith('SELECT "django_content_type"')]


def test_a_bulk_assignment_hands_over_the_open_steps_and_records_it_all_in_few_queries(
    manager, rep, teammate
):
    leads = [make_lead(owner=rep) for _ in range(5)]
    for lead in leads:
        make_activity(lead=lead, owner=rep, subject="Call", due_date=datetime.date.today())
    locked = list(Lead.objects.filter(pk__in=[lead.pk for lead in leads]))

    with CaptureQueriesContext(connection) as queries:
        assign(locked, owner=teammate, by=manager)

    statements = [q["sql"].split()[0:3] for q in queries]
    assert (
        sum(1 for s in statements if s[:3] == ["INSERT", "INTO", '"leads_leadstatuschange"']) == 1
    )
    assert sum(1 for s in statements if s[:3] == ["INSERT", "INTO", '"audit_fieldchange"']) == 1
    assert sum(1 for s in statements if s[:2] == ["UPDATE", '"crm_activity"']) == 1
    assert Activity.objects.filter(owner=teammate).count() == 5
    assert FieldChange.objects.filter(field="owner", new_value=str(teammate)).count() == 5
