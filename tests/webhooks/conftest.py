"""A real receiver on 127.0.0.1 (tests/webhooks/receiver.py); endpoints that point at it
(private addresses allowed, as WEBHOOKS_ALLOW_PRIVATE does); and the worker, run here as
db_worker runs it."""

import pytest
from django_tasks_db.models import DBTaskResult

from tests.webhooks.receiver import running_receiver
from tests.worker import in_process_worker
from webhooks.models import EVENT_NAMES, Endpoint


@pytest.fixture
def receiver():
    with running_receiver() as received:
        yield received


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
    worker = in_process_worker()
    ran = 0
    ready = DBTaskResult.objects.ready()
    if newest_first:
        ready = ready.order_by("-enqueued_at")
    while (result := ready.get_locked()) is not None:
        result.claim("test-worker")
        worker.run_task(result)
        ran += 1
    return ran
