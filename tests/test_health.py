"""The health endpoint load balancers poll: no login, the database and the cache checked."""

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client


@pytest.fixture
def anonymous(db):
    return Client()


def test_health_is_ok_when_database_and_cache_answer(anonymous):
    response = anonymous.get("/health/")

    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "database": "ok", "cache": "ok"},
    )
    assert "no-cache" in response["Cache-Control"]


def test_health_is_unavailable_when_the_cache_fails(anonymous, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache server is down")

    monkeypatch.setattr(cache, "set", broken)

    response = anonymous.get("/health/")

    assert (response.status_code, response.json()) == (
        503,
        {"status": "error", "database": "ok", "cache": "error"},
    )


def test_health_is_unavailable_when_the_database_fails(anonymous, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("the database server is down")

    monkeypatch.setattr("crm.views.system.connection", BrokenConnection())

    response = anonymous.get("/health/")

    assert (response.status_code, response.json()) == (
        503,
        {"status": "error", "database": "error", "cache": "ok"},
    )


def test_health_answers_plain_http_where_pages_redirect_to_https(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    health = client.get("/health/")
    login = client.get("/accounts/login/")

    assert (health.status_code, health.json()["status"]) == (200, "ok")
    assert (login.status_code, login["Location"]) == (301, "https://testserver/accounts/login/")


def test_health_answers_get_only(anonymous):
    response = anonymous.post("/health/")

    assert response.status_code == 405
    assert response.content == b""
