"""No GET changes anything: every URL of the app, opened as an admin and as a rep, with real
records in its path, writes nothing to the database but the visitor's own session and the
security log (an export, a refused access)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.models import User
from tests.url_walk import records, urls

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
SESSION_TABLE = re.compile(r"\bdjango_session\b")
# The security log records exports and refused accesses, which GETs are too.
SECURITY_LOG = re.compile(r"\bcrm_securityevent\b")


@pytest.fixture
def sample(rep, manager):
    return records(owner=rep, manager=manager, marker="North")


def writes_while_getting(client, path: str, headers=None) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers or {})
    assert response.status_code != 500, path
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # a streamed export queries as it is read
    return [
        query["sql"]
        for query in queries.captured_queries
        if WRITE.match(query["sql"])
        and not SESSION_TABLE.search(query["sql"])
        and not SECURITY_LOG.search(query["sql"])
    ]


@pytest.mark.parametrize("who", ["admin", "manager", "rep"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_no_get_writes_to_the_database(
    request, sample, who, htmx, admin_client, manager_client, rep_client, htmx_headers
):
    client = {"admin": admin_client, "manager": manager_client, "rep": rep_client}[who]
    headers = htmx_headers if htmx else None

    found = {}
    walked = 0
    for url in urls(sample):
        if writes := writes_while_getting(client, url.path, headers):
            found[url.path] = writes
        walked += 1

    assert found == {}
    assert walked > 60


def test_the_check_catches_a_write(rep_client, rep, sample, monkeypatch):
    """A page that saved something on GET would be caught (a check of the check)."""
    from home import views as home

    build_day = home.build_day

    def saving_build_day(user):
        User.objects.filter(pk=user.pk).update(first_name="Changed")
        return build_day(user)

    monkeypatch.setattr(home, "build_day", saving_build_day)

    writes = writes_while_getting(rep_client, "/")

    assert len(writes) == 1
    assert writes[0].upper().startswith("UPDATE")
