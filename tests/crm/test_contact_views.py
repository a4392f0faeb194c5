"""Contacts: a rep lists, filters, opens, creates, edits and deletes the contacts they can see."""

import pytest
from django.urls import reverse

from crm.filters import BoundedSelect
from crm.models import Contact
from leads.models import LeadConversion
from tests.factories import make_company, make_contact, make_lead, make_opportunity

LIST_URL = reverse("crm:contact_list")
CREATE_URL = reverse("crm:contact_create")


def names_in(response) -> list[str]:
    return [contact.full_name for contact in response.context["page_obj"]]


# --- list -----------------------------------------------------------------------------------


def test_contact_list_searches_names_email_phone_and_company(rep_client, rep):
    acme = make_company(name="Acme Logistics", owner=rep)
    make_contact(first_name="Ana", last_name="Ruiz", email="ana@acme.es", owner=rep)
    make_contact(first_name="Iker", last_name="Goiko", phone="+34 944 55 21 90", owner=rep)
    make_contact(first_name="Jonas", last_name="Becker", company=acme, owner=rep)

    assert names_in(rep_client.get(LIST_URL, {"q": "ANA@acme"})) == ["Ana Ruiz"]
    assert names_in(rep_client.get(LIST_URL, {"q": "944552190"})) == ["Iker Goiko"]
    assert names_in(rep_client.get(LIST_URL, {"q": "logistics"})) == ["Jonas Becker"]
    assert names_in(rep_client.get(LIST_URL, {"q": "ana ruiz"})) == ["Ana Ruiz"]


def test_contact_list_filters_by_company_owner_and_date(manager_client, rep, teammate):
    acme = make_company(name="Acme", owner=rep)
    make_contact(first_name="Ana", last_name="Ruiz", company=acme, owner=rep)
    make_contact(first_name="Bea", last_name="Cano", owner=teammate)

    assert names_in(manager_client.get(LIST_URL, {"company": acme.pk})) == ["Ana Ruiz"]
    assert names_in(manager_client.get(LIST_URL, {"owner": teammate.pk})) == ["Bea Cano"]
    assert names_in(manager_client.get(LIST_URL, {"created_before": "2000-01-01"})) == []
    assert names_in(manager_client.get(LIST_URL, {"created_after": "2000-01-01"})) == [
        "Bea Cano",
        "Ana Ruiz",
    ]


def test_contact_list_company_filter_offers_only_visible_companies(rep_client, rep, other_rep):
    mine = make_company(name="Mine", owner=rep)
    make_company(name="Theirs", owner=other_rep)

    response = rep_client.get(LIST_URL)

    assert list(response.context["filter"].form.fields["company"].queryset) == [mine]


def test_contact_list_sorts(rep_client, rep):
    make_contact(first_name="Ana", last_name="Alonso", email="z@example.com", owner=rep)
    make_contact(first_name="Bea", last_name="Bravo", email="a@example.com", owner=rep)

    assert names_in(rep_client.get(LIST_URL, {"sort": "-name"})) == ["Bea Bravo", "Ana Alonso"]
    assert names_in(rep_client.get(LIST_URL, {"sort": "email"})) == ["Bea Bravo", "Ana Alonso"]


@pytest.mark.parametrize("rows", [1, 3])
def test_contact_list_query_count_does_not_grow(rep_client, rep, rows, django_assert_num_queries):
    company = make_company(owner=rep)
    for _ in range(rows):
        make_contact(owner=rep, company=company)

    # session, user, paginator count, the user's team (menu), the filter choices (the first
    # companies, owners), the page of contacts (owner and company joined).
    with django_assert_num_queries(7):
        response = rep_client.get(LIST_URL)

    assert len(names_in(response)) == rows


# --- detail ---------------------------------------------------------------------------------


def test_contact_detail_shows_company_opportunities_and_source_lead(rep_client, rep):
    company = make_company(name="Bodegas Almendral", owner=rep)
    contact = make_contact(
        first_name="Lucía", last_name="Fernández", company=company, owner=rep, job_title="CFO"
    )
    make_opportunity(name="Export deal", contact=contact, owner=rep)
    lead = make_lead(first_name="Lucía", last_name="Fernández", company_name="Almendral", owner=rep)
    LeadConversion.objects.create(lead=lead, contact=contact, company=company, converted_by=rep)

    response = rep_client.get(contact.get_absolute_url())

    assert f'href="{company.get_absolute_url()}"' in response.text
    assert "Export deal" in response.text
    assert "Converted from leads" in response.text
    assert list(response.context["conversions"]) == [lead.conversion]
    new_deal = f"{reverse('opportunities:create')}?company={company.pk}"
    assert f'href="{new_deal}">New opportunity</a>' in response.text


def test_contact_detail_does_not_link_a_company_the_user_cannot_open(rep_client, rep, other_rep):
    company = make_company(name="Their company", owner=other_rep)
    contact = make_contact(company=company, owner=rep)

    response = rep_client.get(contact.get_absolute_url())

    assert "Their company" in response.text
    assert company.get_absolute_url() not in response.text


def test_contact_detail_teammates_private_contact_is_404(rep_client, teammate):
    contact = make_contact(owner=teammate)

    assert rep_client.get(contact.get_absolute_url()).status_code == 404


# --- create and edit ------------------------------------------------------------------------


def contact_data(**overrides):
    return {
        "first_name": "Giulia",
        "last_name": "Rossi",
        "job_title": "Energy trader",
        "email": " Giulia.Rossi@VerdeEnergia.it ",
        "phone": "+39 02 8736 4427",
        "notes": "",
        **overrides,
    }


def test_contact_create_saves_with_company_and_team_from_owner(rep_client, rep, north):
    company = make_company(owner=rep)

    response = rep_client.post(CREATE_URL, contact_data(owner=rep.pk, company=company.pk))

    contact = Contact.objects.get()
    assert response.url == contact.get_absolute_url()
    assert contact.email == "giulia.rossi@verdeenergia.it"
    assert contact.company == company
    assert contact.team == north


def test_contact_create_preselects_the_company_from_the_link(rep_client, rep):
    company = make_company(owner=rep)

    response = rep_client.get(CREATE_URL, {"company": company.pk})

    assert response.context["form"]["company"].value() == str(company.pk)


def test_contact_create_rejects_a_company_the_user_cannot_see(rep_client, rep, other_rep):
    hidden = make_company(owner=other_rep)

    response = rep_client.post(CREATE_URL, contact_data(owner=rep.pk, company=hidden.pk))

    assert Contact.objects.count() == 0
    assert list(response.context["form"].errors) == ["company"]


def test_contact_create_shows_matches_by_email_or_phone_then_creates_anyway(rep_client, rep):
    existing = make_contact(
        first_name="G.", last_name="Rossi", phone="+39 (02) 8736-4427", owner=rep
    )

    first = rep_client.post(CREATE_URL, contact_data(owner=rep.pk))

    assert first.context["form"].matches == [existing]
    assert existing.get_absolute_url() in first.text
    assert Contact.objects.count() == 1

    second = rep_client.post(CREATE_URL, contact_data(owner=rep.pk, create_anyway="on"))

    assert second.status_code == 302
    assert Contact.objects.count() == 2


def test_contact_create_missing_last_name_shows_error_beside_it(rep_client, rep):
    response = rep_client.post(CREATE_URL, contact_data(owner=rep.pk, last_name="", email="bad"))

    assert Contact.objects.count() == 0
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"last_name", "email"}
    assert "This field is required." in response.text


def test_contact_edit_saves(rep_client, rep):
    contact = make_contact(owner=rep, last_name="Old")

    rep_client.post(
        reverse("crm:contact_edit", args=[contact.pk]), contact_data(owner=rep.pk, last_name="New")
    )

    contact.refresh_from_db()
    assert contact.last_name == "New"


# --- delete ---------------------------------------------------------------------------------


def test_contact_converted_from_a_lead_is_protected(rep_client, rep):
    contact = make_contact(owner=rep)
    LeadConversion.objects.create(lead=make_lead(owner=rep), contact=contact, converted_by=rep)

    response = rep_client.post(reverse("crm:contact_delete", args=[contact.pk]))

    assert "cannot be deleted" in response.text
    assert "1 lead conversion" in response.text
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("rows", [1, 3])
def test_contact_detail_query_count_does_not_grow(rep_client, rep, rows, django_assert_num_queries):
    contact = make_contact(owner=rep, company=make_company(owner=rep))
    for _ in range(rows):
        make_opportunity(contact=contact, owner=rep)
        LeadConversion.objects.create(lead=make_lead(owner=rep), contact=contact)

    # session, user, contact (owner, team, company joined), can the user open the company,
    # the user's team (menu), opportunities (stage, owner, company joined), lead conversions,
    # and the activity timeline (badges, activities, field changes).
    with django_assert_num_queries(10):
        response = rep_client.get(contact.get_absolute_url())

    assert len(response.context["conversions"]) == rows


def test_contact_list_company_select_offers_only_the_chosen_company_among_many(
    rep_client, rep, monkeypatch
):
    monkeypatch.setattr(BoundedSelect, "max_options", 1)
    acme = make_company(name="Acme", owner=rep)
    make_company(name="Globex", owner=rep)

    unfiltered = rep_client.get(LIST_URL).content.decode()
    filtered = rep_client.get(LIST_URL, {"company": acme.pk}).content.decode()

    assert "Globex" not in unfiltered and "Acme" not in unfiltered
    assert f'<option value="{acme.pk}" selected>Acme</option>' in filtered
    assert "Globex" not in filtered


def test_contact_search_orders_a_contact_found_by_its_company_by_name(rep_client, rep):
    acme = make_company(name="Iglesias Hermanos", owner=rep)
    make_contact(name="Bea Iglesias", owner=rep)
    make_contact(name="Carl Alonso", company=acme, owner=rep)
    make_contact(name="Dan Other", owner=rep)

    found = names_in(rep_client.get(LIST_URL, {"q": "iglesias"}))

    assert found == ["Carl Alonso", "Bea Iglesias"]
