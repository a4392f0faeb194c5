"""The real worker (``manage.py db_worker`` in a process of its own) delivers webhooks to a
receiver on 127.0.0.1: each event once, signed, in order per record, also for the changes
made while it was stopped."""

import os
import secrets
import signal
import subprocess
import sys
import time

import pytest

from leads import services as leads
from opportunities import services as opportunities
from tests.factories import make_pipeline
from tests.integration.conftest import BASE_DIR, _database_url
from tests.webhooks.receiver import running_receiver
from webhooks.models import EVENT_NAMES, Delivery, Endpoint

# Generous: on a loaded machine the worker takes a while to start; a pass never waits this long.
WAIT_SECONDS = 90


@pytest.fixture
def only_this_worker(app_servers):
    """The two-server stories' task worker runs for the whole test run against the same
    database, and would take this story's tasks as well (without its settings): it is paused
    while this story runs, so that the worker started here is the only one."""
    os.kill(app_servers.worker_pid, signal.SIGSTOP)
    yield
    os.kill(app_servers.worker_pid, signal.SIGCONT)


@pytest.fixture
def worker(tmp_path, only_this_worker):
    """Start and stop the worker as systemd would (SIGTERM: it finishes its task first)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "crm.example.com",
        "EMAIL_URL": "console://",
        "WEBHOOKS_ALLOW_PRIVATE": "true",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    running = []

    def start() -> subprocess.Popen:
        log = (tmp_path / f"worker-{len(running)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
            + ["--interval", "0.2", "--queue-name", "*", "--worker-id", "webhooks"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        running.append(process)
        return process

    def stop(process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)

    yield start, stop
    for process in running:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for(receiver, count: int, logs) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while len(receiver.requests) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    worker_logs = "\n".join(log.read_text() for log in sorted(logs.glob("worker-*.log")))
    assert len(receiver.requests) >= count, (receiver.events, worker_logs)


def test_every_event_arrives_once_also_after_a_worker_restart(
    transactional_db, worker, rep, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start, stop = worker
    stages = list(make_pipeline().stages.order_by("order"))
    with running_receiver() as receiver:
        endpoint = Endpoint.objects.create(url=receiver.url, events=sorted(EVENT_NAMES))
        process = start()
        lead = leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
        wait_for(receiver, 1, tmp_path)

        stop(process)  # the worker is down while the lead is worked
        leads.qualify(lead, by=rep)
        deal = leads.convert_lead(
            lead, by=rep, create_opportunity=True, stage=stages[0]
        ).opportunity
        opportunities.move_opportunity(deal, stage=stages[1], by=rep)
        opportunities.mark_won(deal, by=rep)
        time.sleep(0.5)
        assert len(receiver.requests) == 1

        start()
        wait_for(receiver, 6, tmp_path)
        time.sleep(1)  # anything sent twice would have come by now

    # In order for each record; two records' events may interleave either way.
    def of(kind, pk):
        return [name for name, record in receiver.events if name.startswith(kind) and record == pk]

    assert len(receiver.events) == 6
    assert of("lead.", lead.pk) == ["lead.created", "lead.qualified", "lead.converted"]
    assert of("opportunity.", deal.pk) == [
        "opportunity.created",
        "opportunity.stage_changed",
        "opportunity.won",
    ]
    assert len({request.json["id"] for request in receiver.requests}) == 6
    assert all(request.signed_with(endpoint.secret) for request in receiver.requests)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
