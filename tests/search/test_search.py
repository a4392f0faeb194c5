"""The top bar's search: leads, contacts, companies and deals at once, grouped by kind, within
what the user may see, whatever the case and accents of what they type."""

import pytest
from django.db import connection
from django.urls import reverse

from crm.models import Company
from opportunities.models import Opportunity
from tests.asserts import assert_shows
from tests.factories import make_company, make_contact, make_lead, make_opportunity
from tests.plans import plan_of

URL = reverse("search:search")


def test_search_groups_matches_by_kind_with_links_to_each_list(rep, rep_client):
    make_lead(owner=rep, first_name="Ana", last_name="Iglesias", company_name="Cobalt")
    make_contact(owner=rep, first_name="Luis", last_name="Iglesias")
    make_company(owner=rep, name="Iglesias Hermanos")
    make_opportunity(owner=rep, name="Iglesias renewal")
    make_lead(owner=rep, first_name="Nobody", last_name="Else")

    response = rep_client.get(URL, {"q": "iglesias"})

    groups = response.context["groups"]
    assert [(group.kind, group.count) for group in groups] == [
        ("leads", 1),
        ("contacts", 1),
        ("companies", 1),
        ("deals", 1),
    ]
    assert [str(row) for group in groups for row in group.rows] == [
        "Ana Iglesias",
        "Luis Iglesias",
        "Iglesias Hermanos",
        "Iglesias renewal",
    ]
    page = response.content.decode()
    assert_shows(
        page,
        f'href="{reverse("leads:list")}?q=iglesias&amp;status=all"',
        f'href="{reverse("crm:contact_list")}?q=iglesias"',
        f'href="{reverse("crm:company_list")}?q=iglesias"',
        f'href="{reverse("opportunities:list")}?q=iglesias"',
    )
    assert "Nobody" not in page


def test_search_shows_a_few_per_kind_and_counts_the_rest(rep, rep_client):
    for number in range(7):
        make_lead(owner=rep, first_name="Marta", last_name=f"Iglesias{number}")

    response = rep_client.get(URL, {"q": "Iglesias"})

    (group,) = response.context["groups"]
    assert (len(group.rows), group.count, group.capped) == (5, 7, False)
    assert "See all 7" in response.content.decode()


def test_each_kind_shows_its_newest_matches_first(rep, rep_client):
    older = make_contact(owner=rep, first_name="Ana", last_name="Abad")
    newer = make_contact(owner=rep, first_name="Ana", last_name="Zubiri")

    (contacts,) = rep_client.get(URL, {"q": "ana"}).context["groups"]

    assert contacts.rows == [newer, older]


def test_see_all_shows_the_same_leads_as_the_search(rep, rep_client):
    make_lead(owner=rep, last_name="Iglesias", status="disqualified")
    make_lead(owner=rep, last_name="Iglesias", status="new")

    group = rep_client.get(URL, {"q": "iglesias"}).context["groups"][0]
    listed = rep_client.get(group.list_url).context["page_obj"].object_list

    assert sorted(lead.pk for lead in listed) == sorted(lead.pk for lead in group.rows)
    assert group.count == 2


def test_search_never_shows_another_teams_records(rep, other_rep, rep_client):
    make_lead(owner=other_rep, last_name="Iglesias")
    make_contact(owner=other_rep, last_name="Iglesias")
    make_company(owner=other_rep, name="Iglesias SA")
    make_opportunity(owner=other_rep, name="Iglesias deal")
    make_lead(owner=rep, last_name="Iglesias", first_name="Mine")

    response = rep_client.get(URL, {"q": "iglesias"})

    assert [
        (group.kind, [str(row) for row in group.rows]) for group in response.context["groups"]
    ] == [("leads", ["Mine Iglesias"])]
    assert "Iglesias SA" not in response.content.decode()


def test_manager_finds_the_team_and_admin_everyone(rep, other_rep, manager_client, admin_client):
    make_lead(owner=rep, last_name="Iglesias")
    make_lead(owner=other_rep, last_name="Iglesias")

    managed = manager_client.get(URL, {"q": "iglesias"}).context["groups"][0]
    everyone = admin_client.get(URL, {"q": "iglesias"}).context["groups"][0]

    assert (managed.count, everyone.count) == (1, 2)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("JIMÉNEZ", "Jiménez"),
        ("jimenez", "Jiménez"),
        ("Jiménez", "JIMENEZ"),
        ("muñoz", "Muñoz"),
        ("MUNOZ", "Muñoz"),
        ("lukasz", "Łukasz"),
    ],
)
def test_search_ignores_case_and_accents_both_ways(rep, rep_client, typed, stored):
    make_lead(owner=rep, first_name="Ana", last_name=stored)
    make_contact(owner=rep, first_name="Luis", last_name=stored)
    make_company(owner=rep, name=f"{stored} y Cía")
    make_opportunity(owner=rep, name=f"{stored} renewal")

    response = rep_client.get(URL, {"q": typed})

    assert [(group.kind, group.count) for group in response.context["groups"]] == [
        ("leads", 1),
        ("contacts", 1),
        ("companies", 1),
        ("deals", 1),
    ]


@pytest.mark.parametrize(
    ("list_name", "make"),
    [
        ("leads:list", lambda rep: make_lead(owner=rep, last_name="Jiménez")),
        ("crm:contact_list", lambda rep: make_contact(owner=rep, last_name="Jiménez")),
        ("crm:company_list", lambda rep: make_company(owner=rep, name="Jiménez SL")),
        ("opportunities:list", lambda rep: make_opportunity(owner=rep, name="Jiménez deal")),
    ],
)
@pytest.mark.parametrize("typed", ["JIMÉNEZ", "jimenez"])
def test_each_list_search_ignores_case_and_accents(rep, rep_client, list_name, make, typed):
    record = make(rep)

    response = rep_client.get(reverse(list_name), {"q": typed})

    assert [row.pk for row in response.context["page_obj"].object_list] == [record.pk]


def test_contact_search_finds_the_company_name_without_its_accents(rep, rep_client):
    company = make_company(owner=rep, name="Construcciones Peñalara")
    contact = make_contact(owner=rep, company=company)

    response = rep_client.get(reverse("crm:contact_list"), {"q": "PENALARA"})

    assert [row.pk for row in response.context["page_obj"].object_list] == [contact.pk]


def test_search_with_an_accent_finds_an_email_without_one(rep, rep_client):
    lead = make_lead(owner=rep, last_name="Smith", email="jimenez@example.com")

    response = rep_client.get(URL, {"q": "Jiménez"})

    assert [row.pk for row in response.context["groups"][0].rows] == [lead.pk]


def test_empty_query_searches_nothing(rep, rep_client, django_assert_num_queries):
    make_lead(owner=rep, last_name="Iglesias")

    # The session, the user and the user's team (the top bar): no search at all.
    with django_assert_num_queries(3):
        response = rep_client.get(URL, {"q": "   "})

    assert response.context["groups"] == []
    assert "Search by name, company, email or phone." in response.content.decode()


def test_too_short_a_query_asks_for_more(rep, rep_client):
    make_lead(owner=rep, last_name="Li")

    response = rep_client.get(URL, {"q": "Li"})

    assert response.context["groups"] == []
    assert "Type at least 3 characters." in response.content.decode()


def test_no_match_says_so(rep, rep_client):
    response = rep_client.get(URL, {"q": "Zzyzx"})

    assert response.context["groups"] == []
    assert "Nothing matches “Zzyzx”." in response.content.decode()


@pytest.mark.parametrize("per_kind", [1, 3])
def test_search_query_count_is_constant(rep, rep_client, django_assert_num_queries, per_kind):
    for number in range(per_kind):
        make_lead(owner=rep, last_name=f"Iglesias{number}")
        make_contact(owner=rep, last_name=f"Iglesias{number}", company=make_company(owner=rep))
        make_company(owner=rep, name=f"Iglesias {number}")
        make_opportunity(owner=rep, name=f"Iglesias {number}")

    # The session, the user and the user's team (the top bar); then for each kind the ids of
    # its matches (their count) and its first rows (a deal with its company and stage, a
    # contact with its company).
    with django_assert_num_queries(11):
        response = rep_client.get(URL, {"q": "iglesias"})

    assert [group.count for group in response.context["groups"]] == [per_kind] * 4


def test_search_query_count_with_more_than_a_few_per_kind(
    rep, rep_client, django_assert_num_queries
):
    for number in range(6):
        make_lead(owner=rep, last_name=f"Iglesias{number}")
        make_company(owner=rep, name=f"Iglesias {number}")

    # The session, the user, the team; leads and companies: the ids of their matches and their
    # first rows; contacts and deals: their ids (none).
    with django_assert_num_queries(9):
        response = rep_client.get(URL, {"q": "iglesias"})

    assert [(group.kind, group.count) for group in response.context["groups"]] == [
        ("leads", 6),
        ("companies", 6),
    ]


def test_dropdown_shows_a_few_of_many_without_counting_them(
    rep, rep_client, htmx_headers, django_assert_num_queries
):
    for number in range(7):
        make_lead(owner=rep, last_name=f"Iglesias{number}")

    # The session and the user (a fragment has no top bar); then one query per kind, however
    # many match.
    with django_assert_num_queries(6):
        response = rep_client.get(URL, {"q": "iglesias"}, headers=htmx_headers)

    (leads,) = response.context["groups"]
    assert (len(leads.rows), leads.capped) == (5, True)
    assert "5 results shown, and more" in response.content.decode()


def test_dropdown_is_a_listbox_of_options_for_htmx(rep, rep_client, htmx_headers):
    lead = make_lead(owner=rep, first_name="Ana", last_name="Iglesias")

    response = rep_client.get(URL, {"q": "iglesias"}, headers=htmx_headers)

    fragment = response.content.decode()
    assert "<html" not in fragment
    assert (
        f'<a class="dropdown-item" role="option" id="global-search-leads-{lead.pk}" '
        f'href="{lead.get_absolute_url()}" tabindex="-1">'
    ) in fragment
    assert 'role="group" aria-label="Leads"' in fragment
    assert '<div id="global-search-status" hx-swap-oob="innerHTML">1 result</div>' in fragment
    assert response["Vary"] == "HX-Request, Accept-Language, Cookie"


def test_dropdown_of_a_short_query_is_empty_but_says_why(rep_client, htmx_headers):
    response = rep_client.get(URL, {"q": "ab"}, headers=htmx_headers)

    fragment = response.content.decode()
    assert 'role="option"' not in fragment
    assert "Type at least 3 characters." in fragment


def test_every_page_has_the_search_box_focused_by_slash(rep_client):
    page = rep_client.get(reverse("home")).content.decode()

    assert_shows(
        page,
        'role="search" method="get" action="/search/" data-global-search',
        'aria-keyshortcuts="/"',
        'role="combobox" aria-expanded="false" aria-controls="global-search-results"',
        'hx-get="/search/"',
        'hx-push-url="false"',
        'hx-trigger="input changed delay:250ms, search"',
    )
    assert (
        'id="global-search-results" class="dropdown-menu global-search-results" role="listbox"'
        in page
    )
    assert 'role="status" aria-live="polite"' in page
    assert '<script src="/static/js/search.js" defer></script>' in page


def test_search_refuses_post(rep_client):
    response = rep_client.post(URL, {"q": "iglesias"})

    assert response.status_code == 405


def test_search_asks_a_stranger_to_log_in(client):
    response = client.get(URL, {"q": "iglesias"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own index types")
@pytest.mark.parametrize(
    ("found", "index"),
    [
        (lambda: Opportunity.objects.search("jimenez"), "opportunity_name_fold_trgm"),
        (lambda: Company.objects.named_like("jimenez"), "company_name_fold_trgm"),
    ],
)
def test_folded_searches_read_their_trigram_indexes(db, found, index):
    assert index in plan_of(found().order_by())
