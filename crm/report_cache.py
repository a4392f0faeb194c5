"""Report figures kept in the cache, and the version number that retires them.

At the size of a large sales organisation some report figures take the database longer than a
page may. They are kept in the cache under a key that holds the current *version*; every write
that can change a figure (a deal's transition, a lead's, an activity, an exchange rate) bumps
the version once its transaction commits, so the next request computes fresh figures: a change
shows on the reports as soon as it is saved, never after a timeout.

The bump happens after the commit on purpose: a request that read the old version while the
write was in flight may store figures computed before the commit, but only under the old
version's key, which nobody reads any more.
"""

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "reports:version"
# A backstop for changes made outside the services (the admin site, a shell): figures are
# recomputed at least this often whatever happens.
FIGURES_SECONDS = 10 * 60


def _new_series() -> int:
    # Not 1: should the version key alone be evicted, figures stored under the old series'
    # numbers must never be read again.
    return time.time_ns()


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_series(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (evicted or never read): any new series will do
        cache.set(VERSION_KEY, _new_series(), timeout=None)


def figures_changed() -> None:
    """Retire every cached report figure once the current transaction commits (at once when
    there is none; never when it rolls back)."""
    transaction.on_commit(_bump)


def cached_figures(name: str, key: Iterable[Any], compute: Callable[[], Any]) -> Any:
    """``compute()``, or the figures it gave for the same ``name`` and ``key`` since the last
    change."""
    parts = ":".join(str(part) for part in key)
    cache_key = f"reports:{current_version()}:{name}:{parts}"
    figures = cache.get(cache_key)
    if figures is None:
        figures = compute()
        cache.set(cache_key, figures, FIGURES_SECONDS)
    return figures
