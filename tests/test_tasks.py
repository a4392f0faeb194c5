"""Background work: a failed task is retried with a growing delay, then reported, never lost."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from infra import tasks
from infra.logs import request_id
from infra.tasks import retry_delay, retrying_task
from tests.factories import make_user
from tests.worker import in_process_worker

calls: list[str] = []


@retrying_task(attempts=3, backoff=10)
def flaky_import(name: str, *, failures: int) -> str:
    calls.append(name)
    if len(calls) <= failures:
        raise ConnectionError("the file store did not answer")
    return f"imported {name}"


@retrying_task()
def log_id() -> str:
    return request_id.get()


@retrying_task(takes_context=True)
def attempt_number(context, label: str) -> str:
    return f"{label} {context.attempt}"


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


@pytest.fixture
def database_backend(settings):
    """Queue into the database as production does, instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_delay_doubles_after_each_failure():
    assert [retry_delay(attempt, backoff=10) for attempt in (1, 2, 3)] == [
        timedelta(seconds=10),
        timedelta(seconds=20),
        timedelta(seconds=40),
    ]


def test_a_task_that_fails_twice_succeeds_on_the_third_attempt(caplog):
    result = flaky_import.enqueue("leads.csv", failures=2)

    assert calls == ["leads.csv", "leads.csv", "leads.csv"]
    # The first run is recorded as failed; its retries are runs of their own.
    assert result.status == TaskResultStatus.FAILED
    retries = [r for r in caplog.records if r.name == "infra.tasks"]
    assert [(r.levelname, r.attempts) for r in retries] == [("WARNING", 2), ("WARNING", 1)]


def test_a_task_that_keeps_failing_is_reported_as_an_error(caplog):
    flaky_import.enqueue("leads.csv", failures=99)

    assert calls == ["leads.csv"] * 3
    errors = [r for r in caplog.records if r.name == "infra.tasks" and r.levelname == "ERROR"]
    assert [(r.getMessage(), r.attempts) for r in errors] == [
        ("Task tests.test_tasks.flaky_import failed after 3 attempts; giving up", 3)
    ]
    assert errors[0].exc_info[0] is ConnectionError


def test_a_retry_is_queued_for_later_with_the_next_attempt_number(db, database_backend):
    before = timezone.now()
    flaky_import.enqueue("leads.csv", failures=99)
    first = DBTaskResult.objects.get()

    # What db_worker does with a ready task (its loop closes connections, which would end
    # the test's transaction).
    first.claim("test-worker")
    in_process_worker().run_task(first)

    first.refresh_from_db()
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert calls == ["leads.csv"]
    assert first.status == TaskResultStatus.FAILED
    assert "ConnectionError: the file store did not answer" in first.traceback
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs == {
        "args": ["leads.csv"],
        "kwargs": {"failures": 99, "retry_attempt": 2},
    }
    assert (
        before + timedelta(seconds=10) <= retry.run_after <= timezone.now() + timedelta(seconds=10)
    )


def test_log_lines_of_a_task_carry_its_id():
    result = log_id.enqueue()

    assert result.return_value == f"task-{result.id}"
    assert request_id.get() == "-"


def test_a_task_may_still_ask_for_its_context():
    assert attempt_number.enqueue("attempt").return_value == "attempt 1"


def test_ping_reports_where_it_ran():
    result = tasks.ping.enqueue(note="hello")

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["note"] == "hello"
    assert set(result.return_value) == {"note", "host", "pid", "at"}


def test_staff_can_queue_a_ping_and_read_its_result(db, database_backend):
    staff = make_user(is_staff=True)
    client = Client()
    client.force_login(staff)

    queued = client.post("/health/ping/", {"note": "from the test"})
    result_id = queued.json()["id"]
    waiting = client.get(f"/health/ping/{result_id}/")

    assert (queued.status_code, queued.json()["status"]) == (202, "READY")
    assert waiting.json() == {"id": result_id, "status": "READY", "value": None}
    assert DBTaskResult.objects.get().args_kwargs == {
        "args": [],
        "kwargs": {"note": "from the test"},
    }


def test_ping_is_for_staff_only(db, database_backend):
    client = Client()
    client.force_login(make_user())

    assert client.post("/health/ping/").status_code == 404
    assert DBTaskResult.objects.count() == 0


def test_ping_needs_a_login_and_a_post(db):
    client = Client()
    assert client.post("/health/ping/")["Location"] == "/accounts/login/?next=/health/ping/"
    client.force_login(make_user(is_staff=True))
    assert client.get("/health/ping/").status_code == 405


def test_an_unknown_ping_result_is_not_found(db, database_backend):
    client = Client()
    client.force_login(make_user(is_staff=True))

    assert client.get("/health/ping/not-a-task/").status_code == 404
    assert client.get("/health/ping/0b6fd8d3-48a6-4c1c-a2c4-0a4d94c7a6c1/").status_code == 404
