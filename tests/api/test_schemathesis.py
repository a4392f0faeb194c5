"""The API against its own OpenAPI schema, on the demo data, as a rep and as an admin: every
operation, read and write, is called with requests generated from the schema (Schemathesis,
property-based), and every answer must be no server error, a status the schema lists, and a
body of the shape the schema gives for it. A few examples per operation, always the same ones
(derandomized), keep it to seconds. ``SCHEMATHESIS_REPORT=<file>`` writes every failure in full,
with the curl command that repeats it, to that file."""

import io
import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import create_token
from crm.models import User

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 6


def _summary(failure) -> str:
    if isinstance(failure, BaseExceptionGroup):
        return "\n".join([str(failure), *(str(inner) for inner in failure.exceptions)])
    return str(failure)


@pytest.fixture
def app():
    """The WSGI application, as Django's test client runs it: without closing the database
    connection at the end of each request, which would close the test's transaction with it
    (on PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo(db):
    call_command("seed_demo", address="8000", stdout=io.StringIO())


@pytest.mark.parametrize("username", ["alice", "admin"])
def test_every_operation_answers_as_its_schema_says(demo, app, username):
    user = User.objects.get(username=username)
    secret = create_token(user=user, name="Schema", scope="write").secret
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app, headers=headers)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as failure:  # every operation's, at once
            failures.append(f"{operation.label}: {_summary(failure)}")
    if os.environ.get("SCHEMATHESIS_REPORT"):
        with open(os.environ["SCHEMATHESIS_REPORT"], "a") as report:
            report.write("\n\n=====\n".join(failures))
    assert failures == []
