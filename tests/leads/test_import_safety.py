"""The CSV import handles what it is given with care: its rejected rows cannot run as formulas,
its duplicate check tells nothing about other teams' records, and a run that fails is retried,
then kept as failed with its error on the page, and logged."""

import csv
import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leads import importing
from leads.models import Lead, LeadImport
from tests.factories import make_contact, make_lead


def upload(client, text: str) -> LeadImport:
    csv_file = SimpleUploadedFile("leads.csv", text.encode(), "text/csv")
    response = client.post(reverse("leads:import"), {"file": csv_file})
    lead_import = LeadImport.objects.get()
    assert response["Location"] == lead_import.get_absolute_url()
    return lead_import


def start(client, lead_import: LeadImport, owner, capture, **fields):
    data = {f"column_{i}": field for i, field in lead_import.mapping.items()}
    data |= {"owner": owner.pk, "start": "1", **fields}
    with capture(execute=True):
        client.post(reverse("leads:import_map", args=[lead_import.pk]), data)
    lead_import.refresh_from_db()
    return lead_import


def test_rejected_rows_cannot_run_as_formulas_in_a_spreadsheet(
    manager_client, manager, django_capture_on_commit_callbacks
):
    lead_import = upload(
        manager_client,
        'Last name,Email,=HYPERLINK("http://evil.example")\n'
        ",=1+1@x.example,+33 1 23\n"
        ",-2,@SUM(A1)\n"
        ',"\tTab","\rReturn"\n'
        "Plain,plain@x.example,ok\n",
    )

    lead_import = start(
        manager_client,
        lead_import,
        manager,
        django_capture_on_commit_callbacks,
        column_0="last_name",
        column_1="notes",
        column_2="",
    )
    response = manager_client.get(reverse("leads:import_rejected", args=[lead_import.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode().removeprefix("\ufeff"))))

    assert (lead_import.status, lead_import.imported, lead_import.rejected) == ("done", 1, 3)
    assert rows == [
        ["Last name", "Email", '\'=HYPERLINK("http://evil.example")', "Reason"],
        ["", "'=1+1@x.example", "'+33 1 23", "The last name is missing."],
        ["", "'-2", "'@SUM(A1)", "The last name is missing."],
        ["", "'\tTab", "'\rReturn", "The last name is missing."],
    ]


@pytest.fixture
def theirs_and_ours(rep, other_rep):
    make_lead(last_name="Ours", email="ours@x.example", owner=rep)
    make_lead(last_name="Theirs", email="theirs@x.example", owner=other_rep)
    make_contact(last_name="Their contact", email="their.contact@x.example", owner=other_rep)


def test_the_duplicate_check_tells_nothing_of_other_teams_records(
    manager_client, manager, theirs_and_ours, django_capture_on_commit_callbacks
):
    lead_import = upload(
        manager_client,
        "Name,Email\n"
        "Our Again,ours@x.example\n"
        "Their Again,theirs@x.example\n"
        "Their Contact,their.contact@x.example\n",
    )

    preview = manager_client.get(lead_import.get_absolute_url()).content.decode()
    lead_import = start(
        manager_client,
        lead_import,
        manager,
        django_capture_on_commit_callbacks,
        skip_duplicates="on",
    )
    rejected = manager_client.get(reverse("leads:import_rejected", args=[lead_import.pk]))

    assert preview.count("A lead with this email exists.") == 1
    assert "A contact with this email exists." not in preview
    assert (lead_import.imported, lead_import.rejected) == (2, 1)
    assert rejected.content.decode().splitlines()[1:] == [
        "Our Again,ours@x.example,A lead with this email exists."
    ]


@pytest.fixture
def queued(manager_client, manager):
    lead_import = upload(manager_client, "Name,Email\nJane Doe,jane@x.example\n")
    lead_import.owner = manager
    lead_import.mapping = {"0": "full_name", "1": "email"}
    lead_import.status = LeadImport.Status.QUEUED
    lead_import.save()
    return lead_import


def failing_saves(monkeypatch, failures: int) -> list:
    real = Lead.objects.bulk_create
    calls = []

    def bulk_create(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) <= failures:
            raise ConnectionError("the database went away")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Lead.objects, "bulk_create", bulk_create)
    return calls


def test_a_failed_import_is_retried_and_then_succeeds(queued, monkeypatch, caplog):
    calls = failing_saves(monkeypatch, failures=1)

    importing.import_leads.enqueue(queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.imported, queued.error, len(calls)) == ("done", 1, "", 2)
    assert Lead.objects.get().email == "jane@x.example"
    assert "retrying" in caplog.text


def test_an_import_that_keeps_failing_is_failed_on_the_page_and_logged(
    manager_client, queued, monkeypatch, caplog
):
    calls = failing_saves(monkeypatch, failures=99)

    with caplog.at_level(logging.WARNING):
        importing.import_leads.enqueue(queued.pk)

    queued.refresh_from_db()
    page = manager_client.get(queued.get_absolute_url()).content.decode()
    assert (queued.status, Lead.objects.count(), len(calls)) == ("failed", 0, 3)
    message = "The import failed; no leads were imported. Try again or contact an admin."
    assert queued.error == message
    assert message in page
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Task leads.importing.import_leads failed after 3 attempts; giving up" in errors
    assert f"Lead import {queued.pk} failed" in errors
