"""Another team's records do not exist: a walk over every URL that names a record.

For every URL taking a record's id in its path or its query string, the South team's record
(charlie's) is opened and posted to by North (alice, a rep, and mia, their manager): the answer
is a 404, or, where the id only pre-fills or filters, the page ignores it. Never a 403, never a
page or file showing the record, never a write. Every other page is opened with another team's
ids in every filter it could read (``owner``, ``team``, ``rep``, ``company``...), and must not
show South's records either. New URLs are walked as soon as they exist.
"""

import io

import openpyxl
import pytest
from django.db.models import Model

from activities.models import Activity
from crm.models import Company, Contact, User
from infra.spreadsheets import XLSX_CONTENT_TYPE
from leads.models import Lead, LeadConversion, LeadImport, LeadStatusChange, WebSubmission
from opportunities.models import Opportunity, OpportunityChange
from tests.factories import make_user
from tests.url_walk import QUERY_RECORDS, RECORD_OF, fill, records, routes

MARKER = "SOUTHSECRET"

ROUTES = routes()
# URLs that name a record of a team (its id in the path or the query string).
RECORD_ROUTES = [
    (name, route) for name, route in ROUTES if name in RECORD_OF or name in QUERY_RECORDS
]
# Every other page of the app, a board column included (the admin has its own tests).
OTHER_ROUTES = [
    (name, route)
    for name, route in ROUTES
    if (name, route) not in RECORD_ROUTES and not name.startswith("admin:")
]
WRITTEN = [
    Company,
    Contact,
    Lead,
    LeadImport,
    LeadStatusChange,
    LeadConversion,
    WebSubmission,
    Opportunity,
    OpportunityChange,
    Activity,
]


@pytest.fixture
def south_records(other_rep, south):
    south_manager = make_user(username="sam", role=User.Role.MANAGER)
    south.manager = south_manager
    south.save(update_fields=["manager"])
    return records(owner=other_rep, manager=south_manager, marker=MARKER)


@pytest.fixture
def viewers(rep_client, manager_client):
    return {"rep": rep_client, "manager": manager_client}


def database() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WRITTEN}


def text_of(response) -> str:
    body = (
        b"".join(response.streaming_content)
        if hasattr(response, "streaming_content")
        else response.content
    )
    if response.get("Content-Type") == XLSX_CONTENT_TYPE:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return repr([list(sheet.values) for sheet in book.worksheets])
    return body.decode()


def _id(value) -> str:
    return value[0] if isinstance(value, tuple) else value


@pytest.mark.parametrize("who", ["rep", "manager"])
@pytest.mark.parametrize("name, route", RECORD_ROUTES, ids=[_id(r) for r in RECORD_ROUTES])
def test_another_teams_record_is_not_found(viewers, south_records, who, name, route, htmx_headers):
    client = viewers[who]
    before = database()

    for url in fill(name, route, south_records):
        if url.record is None:
            continue
        in_query = "?" in url.path
        for method, headers in [
            ("get", {}),
            ("post", {}),
            ("get", htmx_headers),
            ("post", htmx_headers),
        ]:
            response = getattr(client, method)(url.path, headers=headers)
            allowed = {404, 405}
            if in_query:
                allowed.add(200)  # a pre-filled form that ignores the record
            assert response.status_code in allowed, (method, url.path, response.status_code)
            assert MARKER not in text_of(response), (method, url.path)

    assert database() == before


def filters_for(sample: dict) -> str:
    """Another team's ids in every filter a page might read."""
    values = {
        "owner": sample["opportunity"].owner_id,
        "rep": sample["opportunity"].owner_id,
        "team": sample["opportunity"].team_id,
        "company": sample["company"].pk,
        "contact": sample["contact"].pk,
        "lead": sample["lead"].pk,
        "opportunity": sample["opportunity"].pk,
        "q": MARKER.lower(),
    }
    return "&".join(f"{key}={value}" for key, value in values.items())


@pytest.mark.parametrize("who", ["rep", "manager"])
@pytest.mark.parametrize("name, route", OTHER_ROUTES, ids=[_id(r) for r in OTHER_ROUTES])
def test_another_teams_ids_in_filters_show_nothing_of_theirs(
    viewers, south_records, who, name, route, htmx_headers
):
    client = viewers[who]
    query = filters_for(south_records)

    for url in fill(name, route, south_records):
        joiner = "&" if "?" in url.path else "?"
        for headers in ({}, htmx_headers):
            response = client.get(f"{url.path}{joiner}{query}", headers=headers)
            assert response.status_code not in (403, 500), (url.path, response.status_code)
            assert MARKER not in text_of(response), url.path


def test_the_walk_covers_every_kind_of_record():
    assert {RECORD_OF[name] for name, _route in RECORD_ROUTES if name in RECORD_OF} == {
        "api_token",
        "company",
        "contact",
        "lead",
        "lead_import",
        "web_submission",
        "opportunity",
        "activity",
        "email",
        "notification",
        "quota",
        "team",
        "trash_batch",
    }
    assert len(OTHER_ROUTES) > 20


def test_the_walk_would_see_a_leak(viewers, south_records, admin_client):
    """An admin sees South's records: the marker check is not vacuous."""
    company: Model = south_records["company"]

    response = admin_client.get(f"/companies/{company.pk}/")

    assert MARKER in text_of(response)
