"""Background work on Django's tasks framework, and the retry policy our tasks share.

In production and under ``./dev run`` tasks are stored in the database and run by
``manage.py db_worker``; the test suite runs them immediately. Declare a task with
``@retrying_task(...)`` instead of ``@task``: a failed run is queued again after a growing delay,
and the last failure is logged as an error. Every run, failed or not, stays recorded as a task
result (visible in the admin), so a job is never lost silently.
"""

import functools
import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta

from django.tasks import Task, TaskContext, task
from django.utils import timezone

from infra.logs import request_id

logger = logging.getLogger(__name__)

# The keyword argument that carries the attempt number from one run to the next.
ATTEMPT = "retry_attempt"


def retry_delay(attempt: int, *, backoff: float) -> timedelta:
    """The wait before the next attempt: backoff, then twice that, four times, ..."""
    return timedelta(seconds=backoff * 2 ** (attempt - 1))


def retrying_task(
    *,
    attempts: int = 3,
    backoff: float = 30,
    before_retry: Callable[..., None] | None = None,
    **task_options,
) -> Callable[[Callable], Task]:
    """Make a task that is tried up to ``attempts`` times in all, waiting ``backoff`` seconds
    after the first failure and doubling the wait each time. ``task_options`` go to ``@task``.
    ``before_retry``, called with the task's arguments, undoes what a failed run left behind
    before the retry is queued (the last failure is left as it is, to be seen).
    Arguments must be JSON values, as for any task. Log lines written while it runs carry
    ``task-<result id>`` where a request's would carry the request id."""
    wants_context = task_options.pop("takes_context", False)

    def decorate(func: Callable) -> Task:
        def run(context: TaskContext, *args, **kwargs):
            attempt = kwargs.pop(ATTEMPT, 1)
            token = request_id.set(f"task-{context.task_result.id}")
            try:
                return func(context, *args, **kwargs) if wants_context else func(*args, **kwargs)
            except Exception:
                if attempt >= attempts:
                    logger.error(
                        "Task %s failed after %s attempts; giving up",
                        the_task.module_path,
                        attempt,
                        exc_info=True,
                        extra={"task": the_task.module_path, "attempts": attempt},
                    )
                    raise
                if before_retry is not None:
                    before_retry(*args, **kwargs)
                retry = the_task
                delay = retry_delay(attempt, backoff=backoff)
                if the_task.get_backend().supports_defer:
                    retry = the_task.using(run_after=timezone.now() + delay)
                result = retry.enqueue(*args, **{**kwargs, ATTEMPT: attempt + 1})
                logger.warning(
                    "Task %s failed (attempt %s of %s); retrying in %s seconds as %s",
                    the_task.module_path,
                    attempt,
                    attempts,
                    int(delay.total_seconds()),
                    result.id,
                    exc_info=True,
                    extra={"task": the_task.module_path, "attempts": attempt},
                )
                # This run stays recorded as failed; the retry is a run of its own.
                raise
            finally:
                request_id.reset(token)

        # The task is found again by the function's own name; the framework must see ``run``'s
        # signature (context first), not the function's.
        functools.update_wrapper(run, func, updated=())
        del run.__wrapped__
        the_task = task(takes_context=True, **task_options)(run)
        return the_task

    return decorate


@retrying_task(attempts=3, backoff=5)
def ping(note: str = "") -> dict:
    """A small real job: proves that a worker picks up what an app server queued."""
    return {
        "note": note,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "at": timezone.now().isoformat(),
    }
