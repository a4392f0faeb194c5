"""Companies: a rep lists, filters, opens, creates, edits and deletes the companies they can see."""

import pytest
from django.urls import reverse

from crm.models import Company
from tests.factories import (
    make_company,
    make_contact,
    make_lead,
    make_opportunity,
)

LIST_URL = reverse("crm:company_list")


def names_in(response) -> list[str]:
    return [company.name for company in response.context["page_obj"]]


# --- list -----------------------------------------------------------------------------------


def test_company_list_searches_name_domain_and_phone(rep_client, rep):
    make_company(name="Bodegas Almendral", owner=rep, email_domain="almendral.es")
    make_company(name="Nordlicht", owner=rep, phone="+49 40 3861 2200")
    make_company(name="Atelier", owner=rep)

    assert names_in(rep_client.get(LIST_URL, {"q": "https://www.ALMENDRAL.es"})) == [
        "Bodegas Almendral"
    ]
    assert names_in(rep_client.get(LIST_URL, {"q": "3861-2200"})) == ["Nordlicht"]
    assert names_in(rep_client.get(LIST_URL, {"q": "nord"})) == ["Nordlicht"]


def test_company_list_filters_by_owner_team_industry_and_date(manager_client, rep, teammate, north):
    make_company(name="Alpha", owner=rep, industry="Energy")
    make_company(name="Beta", owner=teammate, industry="Retail")

    assert names_in(manager_client.get(LIST_URL, {"owner": teammate.pk})) == ["Beta"]
    assert names_in(manager_client.get(LIST_URL, {"industry": "Energy"})) == ["Alpha"]
    assert names_in(manager_client.get(LIST_URL, {"team": north.pk})) == ["Alpha", "Beta"]
    assert names_in(manager_client.get(LIST_URL, {"created_after": "2000-01-01"})) == [
        "Alpha",
        "Beta",
    ]
    assert names_in(manager_client.get(LIST_URL, {"created_before": "2000-01-01"})) == []


def test_company_list_sorts_by_whitelisted_keys_only(rep_client, rep):
    make_company(name="Alpha", owner=rep, industry="Retail")
    make_company(name="Beta", owner=rep, industry="Energy")

    assert names_in(rep_client.get(LIST_URL, {"sort": "-name"})) == ["Beta", "Alpha"]
    assert names_in(rep_client.get(LIST_URL, {"sort": "industry"})) == ["Beta", "Alpha"]
    # An unknown key is ignored rather than passed to order_by().
    response = rep_client.get(LIST_URL, {"sort": "owner__password"})
    assert names_in(response) == ["Alpha", "Beta"]


def test_company_list_header_links_keep_filters_and_toggle_direction(rep_client, rep):
    make_company(name="Alpha", owner=rep)

    response = rep_client.get(LIST_URL, {"q": "alp", "sort": "name"})

    assert 'href="?q=alp&amp;sort=-name"' in response.text
    assert 'hx-push-url="true"' in response.text


def test_company_list_paginates(rep_client, rep):
    for number in range(30):
        make_company(name=f"Company {number:02d}", owner=rep)

    first = rep_client.get(LIST_URL)
    second = rep_client.get(LIST_URL, {"page": 2})

    assert len(names_in(first)) == 25
    assert names_in(second) == [f"Company {number:02d}" for number in range(25, 30)]
    assert "Page 1 of 2" in first.text


@pytest.mark.parametrize("rows", [1, 3])
def test_company_list_query_count_does_not_grow(rep_client, rep, rows, django_assert_num_queries):
    for number in range(rows):
        make_company(name=f"Company {number}", owner=rep, industry="Energy")

    # session, user, paginator count, the user's team (menu), the filter choices (owners,
    # teams, industries), the page of companies (owner joined, contacts counted in a subquery).
    with django_assert_num_queries(8):
        response = rep_client.get(LIST_URL)

    assert len(names_in(response)) == rows


# --- detail ---------------------------------------------------------------------------------


def test_company_detail_shows_contacts_opportunities_and_conversions(rep_client, rep):
    company = make_company(name="Bodegas Almendral", owner=rep, phone="+34 941 23 45 67")
    contact = make_contact(first_name="Lucía", last_name="Fernández", company=company, owner=rep)
    make_opportunity(name="Export deal", company=company, owner=rep)
    lead = make_lead(first_name="Lucía", last_name="Fernández", owner=rep)
    from leads.models import LeadConversion

    LeadConversion.objects.create(lead=lead, contact=contact, company=company, converted_by=rep)

    response = rep_client.get(company.get_absolute_url())

    assert "Bodegas Almendral" in response.text
    # A Spanish number, in Spain: as dialled at home, linked in E.164.
    assert '<a href="tel:+34941234567">941 23 45 67</a>' in response.text
    assert "Lucía Fernández" in response.text
    assert "Export deal" in response.text
    assert "Converted from leads" in response.text
    assert list(response.context["contacts"]) == [contact]


def test_company_detail_offers_a_new_opportunity_for_this_company(rep_client, rep):
    company = make_company(name="Bodegas Almendral", owner=rep)
    make_opportunity(name="Export deal", company=company, owner=rep, amount=52000)

    html = rep_client.get(company.get_absolute_url()).text

    new_deal = f"{reverse('opportunities:create')}?company={company.pk}"
    assert f'href="{new_deal}">New opportunity</a>' in html
    assert "52,000.00 EUR" in html
    form = rep_client.get(new_deal).context["form"]
    assert str(form["company"].value()) == str(company.pk)


def test_company_detail_hides_other_reps_contacts(rep_client, rep, other_rep):
    company = make_company(name="Shared", owner=rep)
    make_contact(last_name="Secret", company=company, owner=other_rep)

    response = rep_client.get(company.get_absolute_url())

    assert list(response.context["contacts"]) == []
    assert "Secret" not in response.text


# --- create ---------------------------------------------------------------------------------


def test_company_detail_links_the_website_only_when_it_is_a_web_address(rep_client, rep):
    linked = make_company(name="Linked", website="https://www.almendral.es", owner=rep)
    # Saved before websites were checked.
    unsafe = make_company(name="Unsafe", website="javascript:alert(document.cookie)", owner=rep)

    linked_page = rep_client.get(linked.get_absolute_url())
    unsafe_page = rep_client.get(unsafe.get_absolute_url())

    assert 'href="https://www.almendral.es"' in linked_page.text
    assert "javascript:alert(document.cookie)" in unsafe_page.text
    assert 'href="javascript:' not in unsafe_page.text


CREATE_URL = reverse("crm:company_create")


def company_data(**overrides):
    return {
        "name": "Verde Energia",
        "industry": "Energy",
        "website": "https://www.verdeenergia.it",
        "email_domain": "https://www.VerdeEnergia.it/contatti",
        "phone": "+39 02 8736 4410",
        "address": "Via Torino 61, Milano",
        "notes": "",
        **overrides,
    }


def test_company_create_stores_normalised_domain_and_team_from_owner(rep_client, rep, north):
    response = rep_client.post(CREATE_URL, company_data(owner=rep.pk))

    company = Company.objects.get()
    assert response.status_code == 302
    assert response.url == company.get_absolute_url()
    assert company.email_domain == "verdeenergia.it"
    assert company.owner == rep
    assert company.team == north


def test_company_create_ignores_a_team_sent_in_the_post(rep_client, rep, north, south):
    rep_client.post(CREATE_URL, company_data(owner=rep.pk, team=south.pk))

    assert Company.objects.get().team == north


def test_company_create_owner_must_be_assignable(rep_client, other_rep):
    response = rep_client.post(CREATE_URL, company_data(owner=other_rep.pk))

    assert response.status_code == 200
    assert Company.objects.count() == 0
    assert "Select a valid choice" in response.text
    assert "is-invalid" in response.text


def test_company_create_form_offers_owner_choices(rep_client, rep, teammate, other_rep):
    response = rep_client.get(CREATE_URL)

    owners = list(response.context["form"].fields["owner"].queryset)
    assert owners == [rep, teammate]
    assert response.context["form"]["owner"].value() == rep.pk


def test_company_create_shows_matches_then_creates_anyway(rep_client, rep):
    existing = make_company(name="Verde S.p.A.", owner=rep, email_domain="verdeenergia.it")

    first = rep_client.post(CREATE_URL, company_data(owner=rep.pk))

    assert Company.objects.count() == 1
    assert first.context["form"].matches == [existing]
    assert existing.get_absolute_url() in first.text
    assert 'name="create_anyway"' in first.text
    assert 'value="+39 02 8736 4410"' in first.text

    second = rep_client.post(CREATE_URL, company_data(owner=rep.pk, create_anyway="on"))

    assert second.status_code == 302
    assert Company.objects.count() == 2


def test_company_create_offers_the_company_of_the_same_website_and_name(rep_client, rep):
    existing = make_company(name="Bodegas Almendral", email_domain="bodegasalmendral.es", owner=rep)

    response = rep_client.post(
        CREATE_URL,
        company_data(
            name="Bodegas Almendral S.L.",
            website="https://www.bodegasalmendral.es",
            email_domain="",
            phone="",
            owner=rep.pk,
        ),
    )

    assert Company.objects.count() == 1
    assert response.context["form"].matches == [existing]
    assert existing.get_absolute_url() in response.text
    assert "bodegasalmendral.es" in response.text


def test_company_create_ignores_matches_the_user_cannot_see(rep_client, rep, other_rep):
    make_company(name="Verde Energia", owner=other_rep)

    response = rep_client.post(CREATE_URL, company_data(owner=rep.pk))

    assert response.status_code == 302
    assert Company.objects.filter(owner=rep).count() == 1


# --- edit -----------------------------------------------------------------------------------


def test_company_edit_saves_changes_and_moves_team_with_owner(manager_client, rep, manager, north):
    company = make_company(name="Old name", owner=rep)

    response = manager_client.post(
        reverse("crm:company_edit", args=[company.pk]),
        company_data(name="New name", owner=manager.pk),
    )

    company.refresh_from_db()
    assert response.url == company.get_absolute_url()
    assert company.name == "New name"
    assert company.owner == manager
    assert company.team == north  # the manager's own team is the one they run


def test_company_edit_does_not_check_duplicates(rep_client, rep):
    make_company(name="Twin", owner=rep, phone="+34911112233")
    company = make_company(name="Other", owner=rep)

    response = rep_client.post(
        reverse("crm:company_edit", args=[company.pk]),
        company_data(name="Other", phone="911 11 22 33", owner=rep.pk),
    )

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.phone == "+34911112233"


def test_company_edit_shows_errors_beside_fields(rep_client, rep):
    company = make_company(name="Keep", owner=rep)

    response = rep_client.post(
        reverse("crm:company_edit", args=[company.pk]),
        company_data(name="", website="not a url", owner=rep.pk),
    )

    company.refresh_from_db()
    assert company.name == "Keep"
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "website"}
    assert "Enter a valid URL." in response.text


# --- delete ---------------------------------------------------------------------------------


def test_company_with_opportunities_is_protected(rep_client, rep):
    company = make_company(name="Busy", owner=rep)
    make_opportunity(company=company, owner=rep)
    url = reverse("crm:company_delete", args=[company.pk])

    confirm = rep_client.get(url)
    response = rep_client.post(url)

    assert "cannot be deleted" in confirm.text
    assert "1 opportunity" in confirm.text
    assert response.status_code == 200
    assert "cannot be deleted" in response.text
    assert Company.objects.filter(pk=company.pk).exists()


def test_company_list_ignores_filter_values_it_cannot_read(rep_client, rep):
    make_company(name="Alpha", owner=rep)

    response = rep_client.get(
        LIST_URL,
        {"owner": "abc", "team": "999", "created_after": "not a date", "page": "zzz"},
    )

    assert names_in(response) == ["Alpha"]
    assert response.context["filter"].form.errors.keys() == {"owner", "team", "created"}


@pytest.mark.parametrize("rows", [1, 3])
def test_company_detail_query_count_does_not_grow(rep_client, rep, rows, django_assert_num_queries):
    company = make_company(owner=rep)
    for _ in range(rows):
        contact = make_contact(company=company, owner=rep)
        make_opportunity(company=company, contact=contact, owner=rep)

    # session, user, company (owner and team joined), the user's team (menu), contacts,
    # opportunities (stage, owner, contact joined), lead conversions,
    # and the activity timeline (badges, activities, field changes).
    with django_assert_num_queries(10):
        response = rep_client.get(company.get_absolute_url())

    assert len(response.context["contacts"]) == rows


def test_industry_filter_offers_the_industries_each_user_sees(
    admin_client, rep_client, rep, other_rep
):
    make_company(owner=rep, industry="Retail")
    make_company(owner=rep, industry="Energy")
    make_company(owner=rep, industry="Energy")
    make_company(owner=rep, industry="")
    make_company(owner=other_rep, industry="Aerospace")

    def offered(client):
        field = client.get(LIST_URL).context["filter"].form.fields["industry"]
        return [name for name, _label in field.choices if name]

    assert offered(admin_client) == ["Aerospace", "Energy", "Retail"]
    assert offered(rep_client) == ["Energy", "Retail"]


@pytest.mark.parametrize("rows", [1, 3])
def test_admin_company_list_query_count_does_not_grow(
    admin_client, rep, rows, django_assert_num_queries
):
    for number in range(rows):
        make_company(name=f"Company {number}", owner=rep, industry=f"Industry {number}")

    # session, user, paginator count, the filter choices (owners, teams, industries), the page
    # of companies (an administrator has no team in the menu).
    with django_assert_num_queries(7):
        response = admin_client.get(LIST_URL)

    assert len(names_in(response)) == rows
