"""Every endpoint of the router, for every kind of caller: anonymous, the record's rep, a rep
of another team, their manager, an admin. The endpoints are read from the router, so a new one
is in this table the day it is added, and fails here until its expectation is written down."""

import pytest
from django.test import Client
from django.urls import reverse

from api.routes import router
from tests.factories import make_activity, make_company, make_contact, make_lead, make_opportunity

CALLERS = ["anonymous", "rep", "other_rep", "manager", "admin_user"]

# What each endpoint answers a GET (lists, details) or an empty POST (creates, actions) with,
# per caller, on a record alice (rep) owns. Another team's record does not exist: 404.
# 400: the body was empty; 405: not a method of the endpoint (the same for every record, so
# it tells nothing of one); 403: not for a rep.
LIST = {"anonymous": 401, "rep": 200, "other_rep": 200, "manager": 200, "admin_user": 200}
CREATE = {"anonymous": 401, "rep": 400, "other_rep": 400, "manager": 400, "admin_user": 400}
READ_ONLY = {"anonymous": 401, "rep": 405, "other_rep": 405, "manager": 405, "admin_user": 405}
DETAIL = {"anonymous": 401, "rep": 200, "other_rep": 404, "manager": 200, "admin_user": 200}
ACTION = {"anonymous": 401, "rep": 400, "other_rep": 404, "manager": 400, "admin_user": 400}
DONE = {"anonymous": 401, "rep": 200, "other_rep": 404, "manager": 200, "admin_user": 200}
CLOSED = {"anonymous": 401, "rep": 409, "other_rep": 404, "manager": 409, "admin_user": 409}
CONVERTED = {"anonymous": 401, "rep": 201, "other_rep": 404, "manager": 201, "admin_user": 201}
MANAGERS = {"anonymous": 401, "rep": 403, "other_rep": 403, "manager": 400, "admin_user": 400}

EXPECTED = {
    **{
        f"{basename}-list": {"get": LIST, "post": CREATE}
        for basename in ("lead", "company", "contact", "opportunity", "activity")
    },
    **{
        f"{basename}-list": {"get": LIST, "post": READ_ONLY}
        for basename in (
            "pipeline",
            "lost-reason",
            "disqualify-reason",
            "lead-source",
            "user",
            "team",
        )
    },
    **{
        f"{basename}-detail": {"get": DETAIL, "post": READ_ONLY}
        for basename in ("lead", "company", "contact", "opportunity", "activity")
    },
    "lead-qualify": {"get": READ_ONLY, "post": DONE},
    "lead-disqualify": {"get": READ_ONLY, "post": ACTION},
    # An empty conversion makes a contact (the page's proposals fill in the rest).
    "lead-convert": {"get": READ_ONLY, "post": CONVERTED},
    "lead-bulk-assign": {"get": READ_ONLY, "post": MANAGERS},
    "opportunity-move": {"get": READ_ONLY, "post": ACTION},
    "opportunity-win": {"get": READ_ONLY, "post": DONE},
    "opportunity-lose": {"get": READ_ONLY, "post": ACTION},
    "opportunity-reopen": {"get": READ_ONLY, "post": CLOSED},
    "activity-complete": {"get": READ_ONLY, "post": DONE},
    # The report figures: each caller's own scope (a rep's numbers, a manager's teams).
    **{
        f"report-{report}": {"get": LIST, "post": READ_ONLY}
        for report in ("pipeline", "forecast", "team-performance", "win-loss", "velocity")
    },
}

ENDPOINTS = [(url.name, method) for url in router.urls for method in ("get", "post")]


def test_every_endpoint_of_the_router_has_its_expectations():
    assert sorted({name for name, _method in ENDPOINTS}) == sorted(EXPECTED)


@pytest.fixture
def alices(rep):
    deal = make_opportunity(owner=rep)
    return {
        "lead": make_lead(owner=rep),
        "company": make_company(owner=rep),
        "contact": make_contact(owner=rep),
        "opportunity": deal,
        # Not about the deal: completing it asks for no next step.
        "activity": make_activity(owner=rep, company=make_company(owner=rep)),
    }


def _path(name: str, records: dict) -> str:
    if name.endswith("-list") or name == "lead-bulk-assign" or name.startswith("report-"):
        return reverse(f"api:{name}")
    record = next(records[kind] for kind in records if name.startswith(f"{kind}-"))
    return reverse(f"api:{name}", args=[record.pk])


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("name, method", ENDPOINTS, ids=[f"{n}-{m}" for n, m in ENDPOINTS])
def test_each_caller_gets_what_the_rules_say(request, alices, name, method, caller):
    client = Client()
    if caller != "anonymous":
        client.force_login(request.getfixturevalue(caller))
    path = _path(name, alices)

    response = getattr(client, method)(path, {}, content_type="application/json")

    assert response.status_code == EXPECTED[name][method][caller], response.content
    assert response["Content-Type"] == "application/json"
