"""Two app servers behind one load balancer: nothing may assume a single process.

Each story uses the ``app_servers`` fixture (two gunicorn servers and the task worker, sharing
the test database and Redis) and a ``Visitor`` whose requests may land on either server.
"""

import time

import pytest

from tests.factories import make_user
from tests.integration.conftest import LOGIN_LOCK_ATTEMPTS, Visitor

PASSWORD = "a-long-test-pass-2026"
LOCKED = "Too many failed attempts to log in to this account from your address."


@pytest.fixture
def alice(transactional_db, production_hashing):
    return make_user(username="alice", first_name="Alice", password=PASSWORD, is_staff=True)


def test_a_login_on_one_server_holds_on_the_other(app_servers, alice):
    visitor = Visitor()

    login = visitor.log_in(app_servers.a, "alice", PASSWORD)
    home = visitor.get(app_servers.b, "/")
    logout = visitor.post(app_servers.b, "/accounts/logout/")
    after_logout = visitor.get(app_servers.a, "/")

    assert (login.status, login.headers["Location"]) == (302, "/")
    assert home.status == 200
    assert "Good day, Alice" in home.text
    assert logout.status == 302
    assert (after_logout.status, after_logout.headers["Location"]) == (
        302,
        "/accounts/login/?next=/",
    )


def test_the_login_lock_counts_across_both_servers(app_servers, alice):
    guesser = Visitor(address="203.0.113.66")
    servers = [app_servers.a, app_servers.b] * LOGIN_LOCK_ATTEMPTS

    attempts = [
        guesser.log_in(server, "alice", "wrong-guess")
        for server in servers[: LOGIN_LOCK_ATTEMPTS - 1]
    ]
    last_guess = guesser.log_in(servers[LOGIN_LOCK_ATTEMPTS - 1], "alice", "wrong-guess")
    right_password = guesser.log_in(app_servers.a, "alice", PASSWORD)
    alice_elsewhere = Visitor(address="198.51.100.2").log_in(app_servers.b, "alice", PASSWORD)

    assert all(LOCKED not in attempt.text for attempt in attempts)
    assert LOCKED in last_guess.text
    assert (right_password.status, LOCKED in right_password.text) == (200, True)
    assert (alice_elsewhere.status, alice_elsewhere.headers["Location"]) == (302, "/")


def test_a_task_queued_on_one_server_is_run_by_the_worker_and_seen_on_the_other(app_servers, alice):
    visitor = Visitor()
    visitor.log_in(app_servers.a, "alice", PASSWORD)

    queued = visitor.post(app_servers.a, "/health/ping/", {"note": "from server a"})
    result = _wait_for_task(visitor, app_servers.b, f"/health/ping/{queued.json()['id']}/")

    assert queued.status == 202
    assert result["status"] == "SUCCESSFUL"
    assert result["value"]["note"] == "from server a"
    assert result["value"]["pid"] == app_servers.worker_pid


def _wait_for_task(visitor: Visitor, server: str, path: str, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        result = visitor.get(server, path).json()
        if result["status"] in {"SUCCESSFUL", "FAILED"} or time.monotonic() > deadline:
            return result
        time.sleep(0.2)
