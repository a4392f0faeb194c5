"""Lists: what the user sees (``visible_to``), filtered as the pages filter, paged by cursor."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leads.models import Lead
from tests.factories import (
    make_activity,
    make_company,
    make_contact,
    make_lead,
    make_opportunity,
)

LISTS = ["leads", "companies", "contacts", "opportunities", "activities"]


def test_a_rep_lists_their_leads_and_not_another_teams(rep, other_rep, api_client):
    mine = make_lead(last_name="Mine", owner=rep)
    make_lead(last_name="Theirs", owner=other_rep)

    response = api_client(rep).get("/api/v1/leads/")

    assert [lead["id"] for lead in response.json()["results"]] == [mine.pk]


def test_another_teams_record_is_a_404(rep, other_rep, api_client):
    theirs = make_opportunity(owner=other_rep)

    response = api_client(rep).get(f"/api/v1/opportunities/{theirs.pk}/")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_the_lead_filters_are_the_pages(rep, api_client):
    make_lead(last_name="Open", owner=rep)
    lost = make_lead(last_name="Gone", owner=rep, status=Lead.Status.DISQUALIFIED)
    client = api_client(rep)

    promising = client.get("/api/v1/leads/").json()["results"]
    disqualified = client.get("/api/v1/leads/?status=disqualified").json()["results"]
    searched = client.get("/api/v1/leads/?status=all&q=gone").json()["results"]

    assert [lead["last_name"] for lead in promising] == ["Open"]
    assert [lead["id"] for lead in disqualified] == [lost.pk]
    assert [lead["id"] for lead in searched] == [lost.pk]


def test_a_filter_naming_another_teams_owner_is_refused(rep, other_rep, api_client):
    response = api_client(rep).get(f"/api/v1/leads/?owner={other_rep.pk}")

    assert response.status_code == 400
    assert list(response.json()) == ["owner"]


def test_pages_follow_a_cursor_that_new_records_do_not_shift(rep, api_client):
    leads = [make_lead(owner=rep) for _ in range(3)]
    client = api_client(rep)

    first = client.get("/api/v1/leads/?page_size=2").json()
    make_lead(owner=rep)  # arrives between the two pages
    second = client.get(first["next"]).json()

    assert [lead["id"] for lead in first["results"]] == [leads[2].pk, leads[1].pk]
    assert [lead["id"] for lead in second["results"]] == [leads[0].pk]
    assert "count" not in first


def test_updated_since_gives_the_records_changed_since(rep, api_client):
    old = make_company(owner=rep, name="Old")
    changed = make_company(owner=rep, name="Changed")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    type(old).objects.filter(pk=old.pk).update(updated_at=an_hour_ago - datetime.timedelta(1))
    since = an_hour_ago.isoformat().replace("+00:00", "Z")

    response = api_client(rep).get(f"/api/v1/companies/?updated_since={since}")
    wrong = api_client(rep).get("/api/v1/companies/?updated_since=yesterday")

    assert [company["id"] for company in response.json()["results"]] == [changed.pk]
    assert wrong.json() == {"updated_since": ["Give a date and time such as 2026-01-31T09:00:00Z."]}


def test_fields_trims_each_record(rep, api_client):
    make_contact(owner=rep, last_name="Short")

    response = api_client(rep).get("/api/v1/contacts/?fields=id,last_name")

    assert [sorted(contact) for contact in response.json()["results"]] == [["id", "last_name"]]


def test_ordering_is_offered_on_indexed_fields_only(rep, api_client):
    first, second = make_lead(owner=rep, last_name="Zed"), make_lead(owner=rep, last_name="Abe")
    client = api_client(rep)

    by_id = client.get("/api/v1/leads/?ordering=id").json()["results"]
    by_name = client.get("/api/v1/leads/?ordering=last_name").json()["results"]

    assert [lead["id"] for lead in by_id] == [first.pk, second.pk]
    assert [lead["id"] for lead in by_name] == [second.pk, first.pk]  # the default order


MAKERS = {
    "leads": lambda owner: make_lead(owner=owner),
    "companies": lambda owner: make_company(owner=owner),
    "contacts": lambda owner: make_contact(owner=owner),
    "opportunities": lambda owner: make_opportunity(owner=owner),
    "activities": lambda owner: make_activity(owner=owner),
}


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("who", ["rep", "manager"])
def test_a_list_page_takes_the_same_queries_whatever_its_size(
    request, who, resource, rows, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    owner = request.getfixturevalue("rep")
    for _ in range(rows):
        MAKERS[resource](owner)
    client = request.getfixturevalue(f"{who}_client")
    client.get("/api/v1/teams/")  # the session is read once before counting

    # The session, its user, the page of records.
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/{resource}/")

    assert len(response.json()["results"]) == rows
    assert user.is_authenticated


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("who", ["rep", "manager", "admin_user"])
def test_a_bigger_page_takes_no_more_queries(db, request, who, resource, api_client):
    owner = request.getfixturevalue("rep")
    for _ in range(8):
        MAKERS[resource](owner)
    client = api_client(request.getfixturevalue(who), scope="read")
    client.get("/api/v1/teams/")  # the token's first use is noted once, before counting
    counts = {}

    for size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/{resource}/", {"page_size": size})
        counts[size] = (len(response.json()["results"]), len(queries))

    # The token with its user, the page of records.
    assert counts == {5: (5, 2), 50: (8, 2)}


@pytest.mark.parametrize("value", ["-1.7976931348623157e+308", "1.5", "99999999999999999999"])
def test_an_activity_filter_takes_ids_only(rep, api_client, value):
    response = api_client(rep).get("/api/v1/activities/", {"lead": value})

    assert response.status_code == 400
    assert list(response.json()) == ["lead"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_address_that_names_no_endpoint_is_a_json_404(rep, api_client, method):
    response = getattr(api_client(rep), method)("/api/v1/activities/-3/complete/")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
