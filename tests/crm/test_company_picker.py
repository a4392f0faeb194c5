"""The company field of the deal and contact forms: a search box over the select, because a
large sales organisation has more companies than a list can hold."""

import re

import pytest
from django.urls import reverse

from infra.rendering import SearchSelect
from tests.factories import make_company, make_opportunity

OPTIONS_URL = reverse("crm:company_options")
NEW_DEAL = reverse("opportunities:create")
NEW_CONTACT = reverse("crm:contact_create")


def option_names(html: str) -> list[str]:
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', html)


def search(client, q: str, **params) -> str:
    return client.get(OPTIONS_URL, {"q": q, "name": "company", **params}).content.decode()


def test_typing_a_name_offers_the_matching_companies_by_name(rep_client, rep):
    make_company(name="Globex Iberia", owner=rep)
    make_company(name="Acme Iberia", owner=rep)
    make_company(name="Acme Nordics", owner=rep)

    assert option_names(search(rep_client, "iberia")) == ["Acme Iberia", "Globex Iberia"]
    assert option_names(search(rep_client, "acme IBERIA")) == ["Acme Iberia"]


def test_the_search_offers_only_the_companies_the_user_may_see(rep_client, rep, other_rep):
    make_company(name="Acme Iberia", owner=rep)
    hidden = make_company(name="Acme South", owner=other_rep)

    html = search(rep_client, "acme", company=hidden.pk)

    assert option_names(html) == ["Acme Iberia"]
    assert "South" not in html


def test_a_company_picked_from_the_matches_stays_chosen_whatever_is_typed_next(rep_client, rep):
    picked = make_company(name="Acme Iberia", owner=rep)
    make_company(name="Globex", owner=rep)

    html = search(rep_client, "globex", company=picked.pk)

    assert option_names(html) == ["Acme Iberia", "Globex"]
    assert f'<option value="{picked.pk}" selected>' in html


def test_the_company_the_select_already_holds_is_not_offered_twice(rep_client, rep):
    held = make_company(name="Acme Iberia", owner=rep)
    make_company(name="Acme Nordics", owner=rep)

    html = search(rep_client, "acme", shown=str(held.pk), company=held.pk)
    alone = search(rep_client, "iberia", shown=str(held.pk), company=held.pk)

    assert option_names(html) == ["Acme Nordics"]
    assert option_names(alone) == []
    assert "No other company matches “iberia”." in alone


def test_no_match_says_so_and_names_are_escaped(rep_client, rep):
    make_company(name="<b>Acme</b>", owner=rep)

    assert option_names(search(rep_client, "acme")) == ["&lt;b&gt;Acme&lt;/b&gt;"]
    assert "No company matches “<i>”." not in search(rep_client, "<i>")
    assert "No company matches “&lt;i&gt;”." in search(rep_client, "<i>")


@pytest.mark.parametrize("companies", [3, 60])
def test_the_search_costs_the_same_and_offers_at_most_a_screenful(
    rep_client, rep, companies, django_assert_num_queries
):
    for number in range(companies):
        make_company(name=f"Acme {number:02}", owner=rep)

    # session, user, the matches
    with django_assert_num_queries(3):
        html = search(rep_client, "acme")

    assert len(option_names(html)) == min(companies, SearchSelect.limit)


def test_the_search_needs_a_login_and_refuses_posts(client, rep_client):
    assert client.get(OPTIONS_URL).url.startswith("/accounts/login/")
    assert rep_client.post(OPTIONS_URL).status_code == 405


@pytest.mark.parametrize("url", [NEW_DEAL, NEW_CONTACT])
def test_a_form_lists_the_first_companies_by_name_not_all_of_them(rep_client, rep, url):
    for number in range(SearchSelect.limit + 10):
        make_company(name=f"Company {number:03}", owner=rep)

    html = rep_client.get(url).content.decode()

    select = html.split('<select name="company"', 1)[1].split("</select>", 1)[0]
    assert option_names(select) == [f"Company {n:03}" for n in range(SearchSelect.limit)]
    assert 'aria-label="Search companies by name"' in html


def test_the_deal_form_holds_its_company_above_the_first_ones(rep_client, rep):
    for number in range(SearchSelect.limit + 5):
        make_company(name=f"Company {number:03}", owner=rep)
    zulu = make_company(name="Zulu", owner=rep)
    deal = make_opportunity(owner=rep, company=zulu)

    html = rep_client.get(reverse("opportunities:edit", args=[deal.pk])).content.decode()

    select = html.split('<select name="company"', 1)[1].split("</select>", 1)[0]
    assert option_names(select)[0] == "Zulu"
    assert f'<option value="{zulu.pk}" selected>' in select
    assert f"shown={zulu.pk}" in html


@pytest.mark.parametrize("odd", ["²", "１２", "99999999999999999999", "-3", "1e3"])
def test_an_id_that_is_not_one_is_ignored_never_an_error(rep_client, rep, odd):
    make_company(name="Acme Iberia", owner=rep)

    search_html = search(rep_client, "acme", shown=odd, company=odd)
    contact_form = rep_client.post(NEW_CONTACT, {"last_name": "Ruiz", "company": odd})
    deal_form = rep_client.post(NEW_DEAL, {"name": "Deal", "company": odd})

    assert option_names(search_html) == ["Acme Iberia"]
    assert (contact_form.status_code, deal_form.status_code) == (200, 200)
    assert "Select a valid choice" in contact_form.content.decode()


def test_the_search_says_how_many_it_found_for_screen_readers(rep_client, rep):
    make_company(name="Acme Iberia", owner=rep)
    make_company(name="Acme Nordics", owner=rep)

    html = search(rep_client, "acme", status="id_company-status")
    form = rep_client.get(NEW_CONTACT).content.decode()

    assert 'id="id_company-status" role="status" aria-live="polite" hx-swap-oob="true"' in html
    assert "2 companies found." in html
    assert 'id="id_company-status" role="status"' in form
    assert "status=id_company-status" in form


def test_a_picker_without_ids_names_its_parts_after_the_field(rep):
    from crm.forms import ContactForm

    html = str(ContactForm(user=rep, auto_id=False)["company"])

    assert 'id="id_company-search"' in html and 'hx-target="#id_company-matches"' in html
    select = html.split("<select", 1)[1].split(">", 1)[0]
    assert 'name="company"' in select and 'id="id_company"' in select


def test_a_disabled_picker_has_a_disabled_search_box(rep):
    from crm.forms import ContactForm

    form = ContactForm(user=rep)
    form.fields["company"].disabled = True

    html = str(form["company"])

    assert "data-search-select" in html
    assert html.split("<select", 1)[0].count(" disabled") == 1
