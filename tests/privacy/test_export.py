"""A manager downloads everything held about a person, as a ZIP with person.json."""

import io
import json
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from crm.models import Contact, SecurityEvent
from leads.models import Lead
from tests.factories import make_activity


def _person_json(response) -> dict:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == ["person.json"]
        return json.loads(archive.read("person.json"))


def test_the_export_holds_her_records_activities_history_and_deal(manager_client, zoe, otto):
    response = manager_client.get(reverse("privacy:contact_export", args=[zoe.pk]))

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "private, no-store"
    held = _person_json(response)
    assert [c["last_name"] for c in held["contacts"]] == ["Quimby"]
    assert [lead["email"] for lead in held["leads"]] == ["zoe.quimby@example.org"]
    assert sorted(a["subject"] for a in held["activities"]) == ["Call Zoe Quimby", "Meet Zoe"]
    notes = [change["note"] for change in held["lead_history"] if change["note"]]
    assert [note.split(": ")[-1] for note in notes] == ["Zoe Quimby said later"]
    assert [(d["name"], d["amount"]) for d in held["deals"]] == [("Quimby renewal", "12500.00")]
    assert [c["field"] for c in held["deals"][0]["changes"]] == ["created"]
    assert [c["contact_id"] for c in held["conversions"]] == [zoe.pk]
    assert held["exported_at"][:4].isdigit() and "T" in held["exported_at"]
    assert "Otto" not in response.content.decode("latin-1") and "Otto" not in json.dumps(held)
    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.PERSONAL_DATA_EXPORTED, target_id=str(zoe.pk)
        ).count()
        == 1
    )


def test_a_lead_export_holds_the_contact_it_became(manager_client, zoe):
    lead = Lead.objects.get(conversion__contact=zoe)

    held = _person_json(manager_client.get(reverse("privacy:lead_export", args=[lead.pk])))

    assert [c["id"] for c in held["contacts"]] == [zoe.pk]
    assert [item["id"] for item in held["leads"]] == [lead.pk]


@pytest.mark.parametrize("activities", [1, 3])
def test_the_export_reads_a_constant_number_of_queries(
    manager_client, zoe, rep, activities, django_assert_num_queries
):
    for number in range(activities):
        make_activity(contact=zoe, owner=rep, subject=f"Extra {number}")
    url = reverse("privacy:contact_export", args=[zoe.pk])
    ContentType.objects.get_for_model(Contact)  # read once per process, as a server has it

    # session, user, contact, its conversions' contacts skipped (a contact), leads, deals,
    # deal changes, activities, lead history, conversions, merges, field changes, the
    # security event
    with django_assert_num_queries(12):
        manager_client.get(url)


def test_the_page_offers_download_and_erase(manager_client, zoe):
    response = manager_client.get(reverse("privacy:contact", args=[zoe.pk]))

    body = response.content.decode()
    assert reverse("privacy:contact_export", args=[zoe.pk]) in body
    assert reverse("privacy:contact_erase", args=[zoe.pk]) in body
    lead = Lead.objects.get(conversion__contact=zoe)
    assert lead.get_absolute_url() in body  # the same person, erased with her


def test_the_record_pages_link_to_it_for_managers_only(manager_client, rep_client, zoe):
    url = reverse("privacy:contact", args=[zoe.pk])
    lead = Lead.objects.get(conversion__contact=zoe)

    assert url in manager_client.get(zoe.get_absolute_url()).content.decode()
    assert url not in rep_client.get(zoe.get_absolute_url()).content.decode()
    lead_url = reverse("privacy:lead", args=[lead.pk])
    assert lead_url in manager_client.get(lead.get_absolute_url()).content.decode()
    assert lead_url not in rep_client.get(lead.get_absolute_url()).content.decode()
