"""The task worker of ``manage.py db_worker``, for running queued tasks inside a test."""

from django_tasks_db.management.commands.db_worker import Worker


def in_process_worker() -> Worker:
    """A worker that runs tasks one at a time, as ``db_worker`` does, without its loop (which
    closes connections and so would end the test's transaction)."""
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
