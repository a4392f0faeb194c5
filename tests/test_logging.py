"""Structured logs: JSON lines with a request id; errors with user and URL, never a secret."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from infra.logs import JsonFormatter, RequestIdFilter
from tests.factories import make_user

view_logger = logging.getLogger("crm.tests.view")


def noisy(request):
    view_logger.info("Looking at the deals of %s", request.user.username)
    return HttpResponse("ok")


def broken(request):
    raise RuntimeError("the report could not be drawn")


urlpatterns = [path("noisy/", noisy), path("broken/", broken)]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def log_lines():
    """Everything logged during the test, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous_level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous_level)


@pytest.fixture
def alice(db):
    return make_user(username="alice")


def test_every_line_of_a_request_carries_its_id(alice, log_lines, settings):
    settings.LOG_REQUESTS = True
    client = Client()
    client.force_login(alice)

    response = client.get("/noisy/", headers={"x-request-id": "lb-4f2a9c"})

    # The login before the request is a security event of its own (tests/test_security_log.py).
    lines = [line for line in log_lines() if line["logger"] != "crm.security"]
    assert response["X-Request-ID"] == "lb-4f2a9c"
    assert [(line["logger"], line["message"], line["request_id"]) for line in lines] == [
        ("crm.tests.view", "Looking at the deals of alice", "lb-4f2a9c"),
        ("crm.request", "GET /noisy/ 200", "lb-4f2a9c"),
    ]
    assert (lines[1]["user_id"], lines[1]["status_code"], lines[1]["path"]) == (
        alice.pk,
        200,
        "/noisy/",
    )


def test_a_request_without_a_usable_id_gets_a_new_one(alice, log_lines):
    client = Client()
    client.force_login(alice)

    first = client.get("/noisy/", headers={"x-request-id": "<script>"})
    second = client.get("/noisy/")

    ids = [line["request_id"] for line in log_lines() if line["logger"] != "crm.security"]
    assert ids == [first["X-Request-ID"], second["X-Request-ID"]]
    assert len(set(ids)) == 2
    assert all(len(request_id) == 32 for request_id in ids)


def test_lines_outside_a_request_say_so(log_lines):
    view_logger.warning("The nightly digest started")

    assert log_lines()[0]["request_id"] == "-"


def test_an_error_is_logged_with_user_and_url_but_no_password_or_session_key(alice, log_lines):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    session_key = client.session.session_key

    response = client.post(
        "/broken/?page=2",
        {"username": "alice", "password": "hunter2-very-secret"},
        headers={"x-request-id": "req-1"},
    )

    errors = [line for line in log_lines() if line["level"] == "ERROR"]
    assert response.status_code == 500
    assert len(errors) == 1
    error = errors[0]
    assert (error["logger"], error["method"], error["path"], error["user_id"]) == (
        "django.request",
        "POST",
        "/broken/",
        alice.pk,
    )
    assert error["request_id"] == "req-1"
    assert "RuntimeError: the report could not be drawn" in error["exception"]
    written = json.dumps(errors)
    assert "hunter2-very-secret" not in written
    assert session_key not in written


def test_extras_that_look_like_secrets_are_dropped(log_lines):
    view_logger.info(
        "Signed in", extra={"user_id": 7, "password": "x", "session_key": "y", "api_token": "z"}
    )

    line = log_lines()[0]
    assert line["user_id"] == 7
    assert {"password", "session_key", "api_token"} & set(line) == set()
