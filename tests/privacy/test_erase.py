"""A manager erases a person on request: afterwards their name and address appear on no page,
list, export or history, and their deal keeps its figures."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Activity
from crm.models import Contact, SecurityEvent
from leads.models import Lead
from opportunities.models import Opportunity

NAMES = ("Zoe", "Quimby", "zoe.quimby@example.org", "600 111 222", "Buyer")


def _erase(client, contact):
    return client.post(reverse("privacy:contact_erase", args=[contact.pk]), {"name": "zoe  QUIMBY"})


# CSRF tokens are long random runs of letters and digits: one may spell "zoe" by chance.
RANDOM_RUNS = re.compile(r"[A-Za-z0-9]{32,}")


def assert_nothing_of_zoe(body: str):
    body = RANDOM_RUNS.sub("", body).lower()
    assert [name for name in NAMES if name.lower() in body] == []


def test_erasing_a_contact_leaves_her_name_nowhere(manager_client, zoe, otto):
    deal = zoe.opportunities.get()
    lead = zoe.lead_conversions.get().lead

    response = _erase(manager_client, zoe)

    assert response.status_code == 302
    assert response["Location"] == zoe.get_absolute_url()
    pages = [
        zoe.get_absolute_url(),
        lead.get_absolute_url(),
        lead.get_absolute_url() + "?history=all",
        reverse("crm:contact_list") + "?q=Quimby",
        reverse("crm:contact_list"),
        reverse("leads:list") + "?q=Quimby",
        reverse("leads:list") + "?status=",
        deal.get_absolute_url(),
        reverse("opportunities:list"),
        reverse("activities:list"),
        reverse("search:search") + "?q=Quimby",
    ]
    for page in pages:
        response = manager_client.get(page)
        assert response.status_code == 200, page
        # A search shows what was searched for; nothing else may name her.
        body = response.content.decode()
        for echo in ("q=Quimby", '"Quimby"', "“Quimby”", "Search: Quimby"):
            body = body.replace(echo, "")
        assert_nothing_of_zoe(body)
    export = manager_client.get(reverse("opportunities:export"))
    body = b"".join(export.streaming_content).decode()
    assert "Erased renewal" in body
    assert_nothing_of_zoe(body)
    # Otto is untouched.
    assert "Otto Other" in manager_client.get(reverse("crm:contact_list")).content.decode()


def test_erasing_keeps_the_deal_figures_and_empties_the_personal_fields(manager, zoe, otto):
    from privacy.services import erase_person

    deal = zoe.opportunities.get()
    changes_before = list(deal.changes.values_list("field", "old_value", "new_value"))

    erase_person(zoe, by=manager)

    deal.refresh_from_db()
    assert (deal.name, deal.amount, deal.stage_id) == (
        "Erased renewal",
        Decimal("12500.00"),
        deal.stage_id,
    )
    assert list(deal.changes.values_list("field", "old_value", "new_value")) == changes_before
    contact = Contact.objects.get(pk=zoe.pk)
    assert (
        contact.first_name,
        contact.last_name,
        contact.email,
        contact.phone,
        contact.job_title,
        contact.notes,
        contact.email_opt_out,
    ) == ("Erased", "Erased", "", "", "", "", True)
    lead = Lead.objects.get(conversion__contact=zoe)
    assert (lead.first_name, lead.last_name, lead.email, lead.notes) == (
        "Erased",
        "Erased",
        "",
        "",
    )
    assert sorted(lead.status_changes.exclude(note="").values_list("note", flat=True)) == ["Erased"]
    assert sorted(Activity.objects.filter(contact=zoe).values_list("subject", "notes")) == [
        ("Erased", "")
    ]
    assert list(Activity.objects.filter(opportunity=deal).values_list("subject", flat=True)) == [
        "Send Erased the proposal"
    ]
    otto.refresh_from_db()
    assert otto.full_name == "Otto Other"
    assert list(Activity.objects.filter(contact=otto).values_list("subject", flat=True)) == [
        "Call Otto Other"
    ]


def test_the_erasure_is_recorded_and_earlier_events_lose_the_name(manager_client, manager, zoe):
    manager_client.get(reverse("privacy:contact_export", args=[zoe.pk]))

    _erase(manager_client, zoe)

    erased = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA_ERASED)
    assert sorted(erased.values_list("target_type__model", "target_text", "actor")) == [
        ("contact", "Erased Erased", manager.pk),
        ("lead", "Erased Erased", manager.pk),
    ]
    assert SecurityEvent.objects.filter(target_text__icontains="Quimby").count() == 0


def test_a_wrong_name_erases_nothing_and_says_why(manager_client, zoe):
    response = manager_client.post(
        reverse("privacy:contact_erase", args=[zoe.pk]), {"name": "Zoe Smith"}
    )

    assert response.status_code == 200
    assert "This is not the person&#x27;s name as the record holds it." in response.content.decode()
    assert Contact.objects.get(pk=zoe.pk).full_name == "Zoe Quimby"


def test_the_confirmation_page_asks_for_the_name(manager_client, zoe):
    response = manager_client.get(reverse("privacy:contact_erase", args=[zoe.pk]))

    body = response.content.decode()
    assert "Type the person&#x27;s name to confirm" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert Contact.objects.get(pk=zoe.pk).full_name == "Zoe Quimby"


def test_erasing_a_lead_erases_the_contact_it_became(manager_client, zoe):
    lead = Lead.objects.get(conversion__contact=zoe)

    manager_client.post(reverse("privacy:lead_erase", args=[lead.pk]), {"name": "Zoe Quimby"})

    assert Contact.objects.get(pk=zoe.pk).full_name == "Erased Erased"
    assert Opportunity.objects.get(contact=zoe).name == "Erased renewal"


def test_erasing_emits_an_update_for_webhooks(manager, zoe, django_capture_on_commit_callbacks):
    from infra import events
    from privacy.services import erase_person

    heard = []
    events.listen(lambda name, records: heard.extend((name, r.pk) for r in records))
    try:
        erase_person(zoe, by=manager)
    finally:
        events._listeners.pop()  # the one just added

    assert ("contact.updated", zoe.pk) in heard
    assert ("lead.updated", Lead.objects.get(conversion__contact=zoe).pk) in heard


@pytest.mark.parametrize(
    "name", ["privacy:contact", "privacy:contact_export", "privacy:contact_erase"]
)
def test_another_team_and_a_rep_get_a_404(client_for, other_rep, south_manager, rep, zoe, name):
    url = reverse(name, args=[zoe.pk])

    assert client_for(south_manager).get(url).status_code == 404
    assert client_for(other_rep).get(url).status_code == 404
    assert client_for(rep).get(url).status_code == 404
    assert client_for(rep).post(url, {"name": "Zoe Quimby"}).status_code in (404, 405)
    assert Contact.objects.get(pk=zoe.pk).full_name == "Zoe Quimby"


def test_erase_refuses_other_methods(manager_client, zoe):
    response = manager_client.put(reverse("privacy:contact_erase", args=[zoe.pk]))

    assert response.status_code == 405


def test_a_company_named_after_her_at_conversion_is_renamed(manager, rep, stages):
    from leads.services import convert_lead
    from privacy.services import erase_person
    from tests.factories import make_company, make_lead

    kept = make_company(name="Quimby & Sons", owner=rep)
    lead = make_lead(name="Zoe Quimby", owner=rep)
    conversion = convert_lead(lead, by=rep, create_company=True)
    assert conversion.company.name == "Zoe Quimby"

    erase_person(conversion.contact, by=manager)

    conversion.company.refresh_from_db()
    kept.refresh_from_db()
    assert (conversion.company.name, kept.name) == ("Erased", "Quimby & Sons")


def test_what_is_in_the_trash_is_erased_too(manager, manager_client, rep, zoe):
    from crm.trash import restore_batch, trash_record

    deal = zoe.opportunities.get()
    trash_record(deal, by=rep)

    _erase(manager_client, zoe)

    assert manager_client.get(reverse("crm:trash")).context["page_obj"][0].label == (
        "Erased renewal"
    )
    restore_batch(deal.trash_batch, by=manager)
    deal.refresh_from_db()
    assert deal.name == "Erased renewal"
    assert list(Activity.objects.filter(opportunity=deal).values_list("subject", flat=True)) == [
        "Send Erased the proposal"
    ]


def test_erasing_takes_the_history_of_her_fields_with_it(manager, zoe):
    from audit.models import FieldChange
    from privacy.services import erase_person

    edited = Contact.objects.get(pk=zoe.pk)
    edited.email = "zoe.q@example.org"
    edited.save()
    call = Activity.objects.filter(contact=zoe).first()
    call.subject = "Meet Zoe Quimby"
    call.save()
    assert FieldChange.objects.filter(new_value__icontains="zoe").count() == 2

    erase_person(zoe, by=manager)

    assert not FieldChange.objects.filter(old_value__icontains="zoe").exists()
    assert not FieldChange.objects.filter(new_value__icontains="zoe").exists()
