"""A person who asks not to be emailed is never emailed: the opt-out is set on the record's
form or through the API, shown on its page, carried by a conversion, and every send picks its
recipients through ``may_email``."""

from django.urls import reverse

from crm.models import Contact
from leads.models import Lead
from leads.services import convert_lead
from tests.factories import make_contact, make_lead
from tests.posted import save_as_loaded

JSON = "application/json"


def test_a_rep_opts_a_lead_out_on_its_form_and_its_page_says_since_when(rep_client, rep):
    lead = make_lead(name="Nora Nomail", email="nora@example.org", owner=rep)

    save_as_loaded(rep_client, reverse("leads:edit", args=[lead.pk]), email_opt_out="on")

    lead.refresh_from_db()
    assert lead.email_opt_out is True
    assert lead.email_opt_out_at is not None
    page = rep_client.get(lead.get_absolute_url()).content.decode()
    assert "Opted out" in page
    assert list(Lead.objects.may_email()) == []


def test_lifting_the_opt_out_clears_its_date(rep_client, rep):
    contact = make_contact(email="pat@example.org", owner=rep, email_opt_out=True)

    save_as_loaded(rep_client, reverse("crm:contact_edit", args=[contact.pk]), email_opt_out="")

    contact.refresh_from_db()
    assert (contact.email_opt_out, contact.email_opt_out_at) == (False, None)
    assert "May be emailed" in rep_client.get(contact.get_absolute_url()).content.decode()
    assert list(Contact.objects.may_email()) == [contact]


def test_may_email_leaves_out_the_opted_out_and_those_without_an_address(rep):
    kept = make_contact(email="yes@example.org", owner=rep)
    make_contact(email="no@example.org", owner=rep, email_opt_out=True)
    make_contact(email="", owner=rep)

    assert list(Contact.objects.may_email()) == [kept]
    assert [kept.may_email] == [True]


def test_conversion_carries_the_opt_out_to_the_new_contact(rep):
    lead = make_lead(name="Nora Nomail", email="nora@example.org", owner=rep, email_opt_out=True)
    lead.stamp_email_opt_out()
    lead.save()

    contact = convert_lead(lead, by=rep).contact

    assert (contact.email_opt_out, contact.email_opt_out_at) == (True, lead.email_opt_out_at)
    assert list(Contact.objects.may_email()) == []


def test_conversion_into_an_existing_contact_opts_it_out_too(rep):
    existing = make_contact(email="nora@example.org", owner=rep)
    lead = make_lead(email="nora@example.org", owner=rep, email_opt_out=True)

    convert_lead(lead, by=rep, contact=existing)

    existing.refresh_from_db()
    assert existing.email_opt_out is True
    assert existing.email_opt_out_at is not None


def test_the_api_reads_and_writes_the_opt_out(rep, api_client):
    client = api_client(rep)
    created = client.post(
        "/api/v1/contacts/",
        {"last_name": "Nomail", "email": "n@example.org", "email_opt_out": True},
        content_type=JSON,
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["email_opt_out"] is True
    assert body["email_opt_out_at"] is not None
    contact = Contact.objects.get()
    assert contact.email_opt_out_at is not None
    lead = client.post(
        "/api/v1/leads/", {"last_name": "Lead", "email_opt_out": True}, content_type=JSON
    )
    assert (lead.status_code, lead.json()["email_opt_out"]) == (201, True)
    assert Lead.objects.get().email_opt_out_at is not None
