"""A real receiver on 127.0.0.1 (http.server in a thread) that records what it is sent and
answers with the status it is told; endpoints that point at it (private addresses allowed,
as WEBHOOKS_ALLOW_PRIVATE does); and the worker, run here as db_worker runs it."""

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from webhooks.models import EVENT_NAMES, Endpoint


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        """What a receiver checks (the example in docs/api.md)."""
        parts = dict(item.split("=", 1) for item in self.headers["X-CRM-Signature"].split(","))
        signed = parts["t"].encode() + b"." + self.body
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts["v1"])


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    # The statuses to answer with, one per request; 200 once they run out.
    answers: list[int] = field(default_factory=list)
    # Seconds to wait before answering each request, one per request; none once they run out.
    delays: list[float] = field(default_factory=list)

    @property
    def events(self) -> list[tuple[str, int]]:
        """(event, record id) of each request received, in order."""
        return [(r.json["event"], r.json["record"]["id"]) for r in self.requests]


@pytest.fixture
def receiver():
    received = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append(Received(dict(self.headers), body))
            status = received.answers.pop(0) if received.answers else 200
            if received.delays:
                time.sleep(received.delays.pop(0))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_port}/hooks/crm"
    yield received
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_private(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def endpoint(db, receiver, allow_private, admin_user):
    """An endpoint at the receiver that wants every event."""
    return Endpoint.objects.create(
        url=receiver.url, events=sorted(EVENT_NAMES), created_by=admin_user
    )


@pytest.fixture
def database_backend(settings):
    """Queue into the database as production does: nothing runs until the worker does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(*, newest_first: bool = False) -> int:
    """What ``db_worker`` does with every ready task, one after the other, until none is left
    (its loop closes connections, which would end the test's transaction); how many ran.
    ``newest_first``: the queue read backwards, as two workers may take it."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    ready = DBTaskResult.objects.ready()
    if newest_first:
        ready = ready.order_by("-enqueued_at")
    while (result := ready.get_locked()) is not None:
        result.claim("test-worker")
        worker.run_task(result)
        ran += 1
    return ran
