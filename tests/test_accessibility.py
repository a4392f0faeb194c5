"""What a keyboard or screen-reader user relies on: a skip link first on every page, and sortable
headers that say which way the rows are ordered."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.factories import make_company, make_lead

# The first element a Tab reaches: a link, a button or a form field, in source order.
FOCUSABLE = re.compile(r"<(a|button|input|select|textarea)\b[^>]*>", re.IGNORECASE)
SKIP_LINK = '<a class="visually-hidden-focusable skip-link" href="#main">Skip to main content</a>'


def first_focusable(html: str) -> str:
    body = html.split("<body", 1)[1]
    hidden = re.compile(r'type="hidden"')
    return next(m.group(0) for m in FOCUSABLE.finditer(body) if not hidden.search(m.group(0)))


def header_sort(html: str, label: str) -> str | None:
    """The aria-sort of the column header whose link reads ``label``."""
    header = re.search(rf'<th ([^>]*)>\s*<a class="sort-link"[^>]*>{label}\b', html)
    assert header, f"no sortable header {label!r}"
    sort = re.search(r'aria-sort="(\w+)"', header.group(1))
    return sort.group(1) if sort else None


@pytest.mark.parametrize("path", ["/", "/leads/", "/companies/", "/reports/"])
def test_every_page_starts_with_a_skip_link_to_main(rep_client, path):
    html = rep_client.get(path).content.decode()

    assert first_focusable(html) + "Skip to main content</a>" == SKIP_LINK
    assert '<main class="container-fluid py-3 px-lg-4" id="main" tabindex="-1">' in html


def test_login_public_form_and_error_pages_start_with_a_skip_link(db):
    login = Client().get("/accounts/login/").content.decode()
    public = Client().get(reverse("leads:web_form")).content.decode()
    error = render_to_string("500.html")

    for html in (login, public, error):
        assert first_focusable(html) + "Skip to main content</a>" == SKIP_LINK
        assert 'id="main" tabindex="-1"' in html


def test_skip_link_is_in_spanish_for_a_spanish_browser(db):
    html = Client().get("/accounts/login/", headers={"accept-language": "es"}).content.decode()

    assert ">Saltar al contenido principal</a>" in html


def test_sorted_company_column_says_its_direction_and_the_others_none(rep_client, rep):
    make_company(name="Alpha", owner=rep)

    ascending = rep_client.get("/companies/", {"sort": "name"}).content.decode()
    descending = rep_client.get("/companies/", {"sort": "-contacts"}).content.decode()

    assert [header_sort(ascending, label) for label in ("Name", "Industry", "Contacts")] == [
        "ascending",
        "none",
        "none",
    ]
    assert [header_sort(descending, label) for label in ("Name", "Industry", "Contacts")] == [
        "none",
        "none",
        "descending",
    ]
    # A column that cannot sort claims no order at all.
    assert '<th scope="col" class="d-none d-lg-table-cell">Domain</th>' in ascending


def test_sorted_lead_column_says_its_direction(rep_client, rep):
    make_lead(last_name="Doe", owner=rep)

    html = rep_client.get("/leads/", {"sort": "-created"}).content.decode()

    assert [header_sort(html, label) for label in ("Name", "Company", "Status", "Created")] == [
        "none",
        "none",
        "none",
        "descending",
    ]
    assert 'href="?sort=created"' in html  # a second click reverses the order
