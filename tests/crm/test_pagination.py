"""The lists count their rows only up to a cap: "1–25 of more than 1,000"."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from crm.models import Company
from infra.pagination import CappedPaginator
from tests.factories import make_company, make_contact, make_lead


def test_counts_every_row_below_the_cap():
    paginator = CappedPaginator(list(range(12)), 5, cap=20)

    page = paginator.get_page(3)

    assert (paginator.count, paginator.more, paginator.num_pages) == (12, False, 3)
    assert list(page) == [10, 11]
    assert not page.has_next()


def test_stops_counting_past_the_cap():
    paginator = CappedPaginator(list(range(100)), 5, cap=20)

    page = paginator.get_page(1)

    assert paginator.more
    assert paginator.reach == 20
    assert paginator.pages_reached == 4
    assert list(page) == [0, 1, 2, 3, 4]
    assert page.has_next()


def test_a_page_past_the_cap_moves_the_cap_and_stays_navigable():
    paginator = CappedPaginator(list(range(100)), 5, cap=20)

    page = paginator.get_page(7)

    assert page.number == 7
    assert list(page) == [30, 31, 32, 33, 34]
    assert paginator.reach == 35
    assert paginator.more
    assert page.has_next()
    assert page.end_index() == 35


def test_the_last_page_past_the_cap_is_counted_exactly():
    paginator = CappedPaginator(list(range(23)), 5, cap=10)

    page = paginator.get_page(5)

    assert (paginator.count, paginator.more, paginator.num_pages) == (23, False, 5)
    assert list(page) == [20, 21, 22]


@pytest.mark.parametrize(("asked", "shown"), [("x", 1), (None, 1), ("0", "last"), ("-3", "last")])
def test_a_wrong_page_number_shows_a_page(asked, shown):
    paginator = CappedPaginator(list(range(100)), 5, cap=20)

    page = paginator.get_page(asked)

    assert page.number == (paginator.num_pages if shown == "last" else shown)
    assert paginator.reach == 20


def test_a_page_beyond_the_rows_shows_the_last_one():
    paginator = CappedPaginator(list(range(23)), 5, cap=10)

    page = paginator.get_page(10**30)

    assert page.number == 5
    assert list(page) == [20, 21, 22]


def test_a_queryset_is_counted_in_one_limited_query(rep):
    for _ in range(4):
        make_company(owner=rep)
    companies = Company.objects.with_contact_count().order_by("name", "pk")
    paginator = CappedPaginator(companies, 1, cap=2)

    with CaptureQueriesContext(connection) as queries:
        count = paginator.count

    assert count == 3
    assert paginator.more
    [query] = queries.captured_queries
    assert "LIMIT 3" in query["sql"]
    # Only the rows are counted: not the annotation, which only the page shows.
    assert "contact_count" not in query["sql"]


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 10)


def test_lead_list_says_more_than_past_the_cap(rep_client, rep, small_cap):
    for number in range(27):
        make_lead(last_name=f"L{number:02}", owner=rep)

    first = rep_client.get(reverse("leads:list"), {"sort": "name"}).content.decode()
    second = rep_client.get(reverse("leads:list"), {"sort": "name", "page": 2}).content.decode()

    assert "1–25 of more than 25" in first
    assert "Page 1 of more than 1" in first
    assert "page=2" in first
    assert "26–27 of 27" in second
    assert "Page 2 of 2" in second


def test_company_and_contact_lists_say_more_than_past_the_cap(rep_client, rep, small_cap):
    for _ in range(26):
        make_company(owner=rep)
        make_contact(owner=rep)

    for name in ("crm:company_list", "crm:contact_list"):
        page = rep_client.get(reverse(name)).content.decode()
        assert "1–25 of more than 25" in page


def test_more_than_is_in_spanish(rep, small_cap):
    rep.language = "es"
    rep.save(update_fields=["language"])
    client = Client()
    client.force_login(rep)
    for _ in range(26):
        make_lead(owner=rep)

    page = client.get(reverse("leads:list")).content.decode()

    assert "1–25 de más de 25" in page
    assert "Página 1 de más de 1" in page


def test_the_pagination_shows_the_cap_with_thousands_separators():
    paginator = CappedPaginator(list(range(5000)), 25)
    page = paginator.get_page(1)
    request = RequestFactory().get("/leads/", {"q": "ruiz"})

    with translation.override("en"):
        html = render_to_string("includes/pagination.html", {"page_obj": page}, request)

    assert "1–25 of more than 1,000" in html
    assert "Page 1 of more than 40" in html
    assert "?q=ruiz&amp;page=2" in html


def test_ids_first_reads_the_ordered_ids_once_then_the_page_by_id(rep):
    names = [f"Company {letter}" for letter in "EDCBA"]
    for name in names:
        make_company(name=name, owner=rep)
    companies = Company.objects.with_contact_count().order_by("name", "pk")
    paginator = CappedPaginator(companies, 2, cap=3, ids_first=True)

    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(1)
        shown = [company.name for company in page]

    assert shown == ["Company A", "Company B"]
    assert paginator.count == 4 and paginator.more
    ids, rows = queries.captured_queries
    assert "LIMIT 4" in ids["sql"] and "contact_count" not in ids["sql"]
    assert "contact_count" in rows["sql"]  # the page itself has its annotations
