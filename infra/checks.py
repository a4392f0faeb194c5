"""Checks run by ``manage.py check --deploy``."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

IN_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """gunicorn runs several worker processes: without a shared cache each keeps its own, so a
    change retires the cached report figures in one worker only, and login locks and rate
    limits are counted per worker."""
    if settings.CACHES["default"]["BACKEND"] not in IN_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The cache lives in each process: with several app processes, report figures can "
            "stay stale for minutes after a change, and login locks and rate limits are counted "
            "per process.",
            hint="Set REDIS_URL (see docs/deploy.md).",
            id="crm.W001",
        )
    ]
