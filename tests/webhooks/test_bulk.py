"""Changes made to many leads at once are announced like any other: a CSV import's leads as
``lead.created`` each, written in the import's own transaction (a large import queues one task
that sends them all rather than one task per lead), a bulk assignment's as ``lead.updated``."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leads import importing, services
from leads.models import Lead, LeadImport
from tests.factories import make_lead
from webhooks.models import Delivery
from webhooks.outbox import QUEUED_ONE_BY_ONE


def import_csv(client, rows: list[str]) -> LeadImport:
    content = "Full Name,E-mail\n" + "\n".join(rows) + "\n"
    file = SimpleUploadedFile("leads.csv", content.encode(), "text/csv")
    client.post(reverse("leads:import"), {"file": file})
    lead_import = LeadImport.objects.get()
    LeadImport.objects.filter(pk=lead_import.pk).update(status="queued")
    return lead_import


def test_each_imported_lead_arrives_as_a_new_lead(
    endpoint, receiver, manager_client, django_capture_on_commit_callbacks
):
    lead_import = import_csv(
        manager_client, ["Ada Lovelace,ada@engine.example", "Alan Turing,alan@bletchley.example"]
    )

    with django_capture_on_commit_callbacks(execute=True):
        importing.run_import(lead_import.pk)

    imported = sorted(Lead.objects.values_list("pk", flat=True))
    assert sorted(receiver.events) == [("lead.created", pk) for pk in imported]
    assert len(imported) == 2
    assert all(request.signed_with(endpoint.secret) for request in receiver.requests)
    assert {request.json["data"]["email"] for request in receiver.requests} == {
        "ada@engine.example",
        "alan@bletchley.example",
    }


def test_a_large_import_is_sent_by_one_task_whole(
    endpoint, receiver, manager_client, django_capture_on_commit_callbacks
):
    count = QUEUED_ONE_BY_ONE + 20
    lead_import = import_csv(
        manager_client, [f"Lead Number{n},lead{n}@import.example" for n in range(count)]
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        importing.run_import(lead_import.pk)

    # One callback queues the sending of the whole batch (the others are the import's own).
    assert len(callbacks) < 5
    assert Lead.objects.count() == count
    assert sorted(pk for _name, pk in receiver.events) == sorted(
        Lead.objects.values_list("pk", flat=True)
    )
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_leads_assigned_together_each_arrive_updated(
    endpoint, receiver, rep, teammate, django_capture_on_commit_callbacks
):
    leads = [make_lead(owner=rep) for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        services.assign(leads, owner=teammate, by=rep)

    assert sorted(receiver.events) == [("lead.updated", lead.pk) for lead in leads]
    assert {request.json["data"]["owner"] for request in receiver.requests} == {teammate.pk}
