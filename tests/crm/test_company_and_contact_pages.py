"""Companies and contacts: what their pages do alike, told once and run for each kind.

What only one kind does stays in test_company_views.py and test_contact_views.py.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone

from crm.models import Company, Contact
from tests.factories import make_company, make_contact


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    make: Callable[..., models.Model]  # a factory taking the record's name as ``name``
    name_field: str  # the form field holding (the last word of) the name
    sort_key: str  # a column of the list, besides the name, to sort by
    sort_values: tuple[str, str]  # a low and a high value of that column

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    def url(self, page: str, record: models.Model | None = None) -> str:
        return reverse(f"crm:{self.name}_{page}", args=[record.pk] if record else [])

    def names_in(self, response) -> list[str]:
        return [str(record) for record in response.context["page_obj"]]


COMPANIES = Kind(Company, make_company, "name", "industry", ("Energy", "Retail"))
CONTACTS = Kind(Contact, make_contact, "last_name", "email", ("a@example.com", "z@example.com"))

# A company may be called after a person: the same names serve both kinds.
MINE = "Lucía Almendral"  # the rep's own
THEIRS = "Carl Hidden"  # the other team's


@pytest.fixture(params=[COMPANIES, CONTACTS], ids=["company", "contact"])
def kind(request) -> Kind:
    return request.param


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_only_the_records_the_user_can_see(kind, rep_client, rep, other_rep):
    kind.make(name=MINE, owner=rep)
    kind.make(name=THEIRS, owner=other_rep)

    response = rep_client.get(kind.url("list"))

    assert kind.names_in(response) == [MINE]
    assert "Hidden" not in response.text  # nor any part of the other team's name
    assert "<html" in response.text


def test_an_htmx_request_gets_only_the_list_region(kind, rep_client, rep, htmx_headers):
    kind.make(name=MINE, owner=rep)

    response = rep_client.get(kind.url("list"), {"q": "almendral"}, headers=htmx_headers)

    assert "<html" not in response.text
    assert f'id="{kind.name}-list"' in response.text
    assert MINE in response.text
    assert "HX-Request" in response["Vary"]


def test_a_search_keeps_the_name_order_and_a_chosen_sort(kind, rep_client, rep):
    low, high = kind.sort_values
    kind.make(name="Bea Iglesias", owner=rep, **{kind.sort_key: high})
    kind.make(name="Ana Iglesias", owner=rep, **{kind.sort_key: low})
    kind.make(name="Dan Other", owner=rep)

    found = kind.names_in(rep_client.get(kind.url("list"), {"q": "iglesias"}))
    sorted_by_the_other_column = kind.names_in(
        rep_client.get(kind.url("list"), {"q": "iglesias", "sort": f"-{kind.sort_key}"})
    )

    assert found == ["Ana Iglesias", "Bea Iglesias"]
    assert sorted_by_the_other_column == ["Bea Iglesias", "Ana Iglesias"]


def test_an_anonymous_visitor_is_sent_to_log_in(kind, client):
    response = client.get(kind.url("list"))

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={kind.url('list')}"


def test_an_htmx_request_without_a_session_redirects_the_whole_page(kind, client, htmx_headers):
    response = client.get(kind.url("list"), headers=htmx_headers)

    assert response["HX-Redirect"] == "/accounts/login/?next=/"


@pytest.mark.parametrize(
    ("view", "method"),
    [
        ("list", "post"),
        ("create", "put"),
        ("detail", "post"),
        ("edit", "put"),
        ("edit", "delete"),
        ("delete", "put"),
    ],
)
def test_each_page_refuses_the_methods_it_does_not_answer(kind, rep_client, rep, view, method):
    record = kind.make(owner=rep)
    url = kind.url(view) if view in ("list", "create") else kind.url(view, record)

    assert getattr(rep_client, method)(url).status_code == 405
    assert kind.model.objects.filter(pk=record.pk).exists()


# --- another team's record ------------------------------------------------------------------


def test_another_teams_record_is_not_found(kind, rep_client, other_rep):
    record = kind.make(name=THEIRS, owner=other_rep)

    response = rep_client.get(record.get_absolute_url())

    assert response.status_code == 404
    assert THEIRS not in response.text


def test_another_teams_record_cannot_be_edited(kind, rep_client, rep, other_rep):
    record = kind.make(name=THEIRS, owner=other_rep)

    # What the rep could save on a record of their own.
    response = rep_client.post(
        kind.url("edit", record), {kind.name_field: "Taken", "owner": rep.pk}
    )

    record.refresh_from_db()
    assert response.status_code == 404
    assert (str(record), record.owner) == (THEIRS, other_rep)


def test_another_teams_record_cannot_be_deleted(kind, rep_client, other_rep):
    record = kind.make(owner=other_rep)

    response = rep_client.post(kind.url("delete", record))

    assert response.status_code == 404
    assert kind.model.objects.filter(pk=record.pk).exists()


# --- detail and delete ----------------------------------------------------------------------


def test_the_detail_dates_the_record_like_the_other_pages(kind, rep_client, rep):
    record = kind.make(owner=rep)
    when = datetime.datetime(2026, 3, 4, 15, 30, tzinfo=datetime.UTC)
    kind.model.objects.filter(pk=record.pk).update(created_at=when)
    shown = formats.date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")

    html = rep_client.get(record.get_absolute_url()).text

    assert f"<dt>Created</dt><dd>{shown}</dd>" in html


def test_delete_asks_then_deletes(kind, rep_client, rep):
    record = kind.make(name="Gone Soon", owner=rep)
    url = kind.url("delete", record)

    confirm = rep_client.get(url)
    assert "Delete Gone Soon?" in confirm.text
    assert kind.model.objects.count() == 1

    response = rep_client.post(url)

    assert response.url == kind.url("list")
    assert kind.model.objects.count() == 0
