"""Report figures kept in the cache, and the version numbers that retire them.

At the size of a large sales organisation some report figures take the database longer than a
page may. They are kept in the cache under a key that holds the current *versions* of what they
read, so that a change shows on the reports as soon as it is saved, never after a timeout:

- ``user:<id>`` moves with every write to a record owned by that user, ``team:<id>`` with every
  write to a record filed under that team, and ``any`` with every write at all;
- ``epoch`` moves with a change that can alter anyone's figures (an exchange rate, a stage, an
  edit in the admin site, an import), and retires everything.

Each reader's figures depend on the versions of what it may see (``scope_parts``): an admin's
on ``any``; a rep's on their own and their team's; a manager's on their own, their teams' and
their members'. So a write in one team leaves every other team's figures in the cache.

The bump happens after the commit on purpose: a request that read the old versions while the
write was in flight may store figures computed before the commit, but only under a key that
nobody reads any more.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

EPOCH = "epoch"
ANY = "any"
# A backstop for changes made outside the app and the admin site (a shell, SQL): figures are
# recomputed at least this often whatever happens.
FIGURES_SECONDS = 10 * 60


def _version_key(part: str) -> str:
    return f"reports:version:{part}"


def _new_series() -> int:
    # Not 1: should a version key alone be evicted, figures stored under the old series'
    # numbers must never be read again.
    return time.time_ns()


def versions(parts: Iterable[str]) -> list[int]:
    """The current version of each of ``parts``, in one round trip when they are all there."""
    keys = [_version_key(part) for part in parts]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _new_series(), timeout=None)
        found.update(cache.get_many(missing))
    return [found[key] for key in keys]


def _bump(parts: Iterable[str]) -> None:
    for part in parts:
        key = _version_key(part)
        try:
            cache.incr(key)
        except ValueError:  # not there (evicted or never read): any new series will do
            cache.set(key, _new_series(), timeout=None)


def _parts_of(record) -> set[str]:
    parts = {ANY}
    if getattr(record, "owner_id", None) is not None:
        parts.add(f"user:{record.owner_id}")
    if getattr(record, "team_id", None) is not None:
        parts.add(f"team:{record.team_id}")
    return parts


def figures_changed(*records) -> None:
    """Retire the cached figures that count ``records`` (their owner's, their team's, an
    admin's) once the current transaction commits (at once when there is none; never when it
    rolls back). Called with no record at all, retire every figure; ``None`` is skipped.

    The owner and team are read now: to retire the figures a record leaves when it changes
    hands, call this before the change too.
    """
    if not records:
        parts = {EPOCH}
    else:
        parts = set().union(*(_parts_of(record) for record in records if record is not None))
    transaction.on_commit(lambda: _bump(sorted(parts)))


def scope_parts(user) -> list[str]:
    """The versions that ``user``'s figures depend on: those of everything they may see
    (``OwnedQuerySet.visible_to``)."""
    if user.is_admin:
        return [EPOCH, ANY]
    parts = [EPOCH, f"user:{user.pk}"]
    if user.is_manager:
        return parts + _managed_parts(user)
    if user.team_id is not None:
        parts.append(f"team:{user.team_id}")
    return parts


def _managed_parts(manager) -> list[str]:
    """The teams a manager runs and their members. Who runs which team changes only in the
    admin site, which moves the epoch: the list is kept in the cache for the epoch."""
    key = f"reports:managed:{versions([EPOCH])[0]}:{manager.pk}"
    parts = cache.get(key)
    if parts is None:
        rows = manager.managed_teams.order_by("pk").values_list("pk", "members__pk")
        parts = sorted(
            {f"team:{team}" for team, _member in rows}
            | {f"user:{member}" for _team, member in rows if member is not None}
        )
        cache.set(key, parts, FIGURES_SECONDS)
    return parts


def cached_figures(name: str, key: Iterable[Any], compute: Callable[[], Any], *, user) -> Any:
    """``compute()``, or the figures it gave for the same ``name``, ``key`` and ``user``'s
    scope since the last change in that scope."""
    parts = scope_parts(user)
    stamp = repr((parts, versions(parts), [str(part) for part in key]))
    cache_key = f"reports:{name}:{hashlib.sha256(stamp.encode()).hexdigest()}"
    figures = cache.get(cache_key)
    if figures is None:
        figures = compute()
        cache.set(cache_key, figures, FIGURES_SECONDS)
    return figures
