"""Background tasks, run by the task worker (or inline with Django's immediate backend)."""

from django.tasks import task

from crm.digests import send_digests


@task
def send_daily_digests() -> int:
    """Email each active rep their day; enqueue once a day from a scheduler."""
    return send_digests()
