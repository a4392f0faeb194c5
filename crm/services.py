"""Writes to the shared core records that go beyond one form's save."""

from collections import Counter

from django.db import router, transaction
from django.db.models import Model, ProtectedError
from django.db.models.deletion import Collector

from crm.models import Team, User
from infra.report_cache import figures_changed


def team_for_owner(owner: User | None) -> Team | None:
    """The team a record belongs to follows its owner; a manager without a team of their own
    files records under the team they run."""
    if owner is None:
        return None
    return owner.team or owner.managed_teams.order_by("pk").first()


def protected_links(record: Model) -> list[str]:
    """What keeps ``record`` from being deleted, e.g. ``["2 opportunities"]``; empty if nothing.

    Asks Django's own deletion collector, so every PROTECT relation counts, including ones
    added later by other apps.
    """
    collector = Collector(using=router.db_for_write(type(record)))
    try:
        collector.collect([record])
    except ProtectedError as error:
        return describe_protected(error)
    return []


def describe_protected(error: ProtectedError) -> list[str]:
    counts = Counter(type(obj)._meta for obj in error.protected_objects)
    return [
        f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
        for meta, count in sorted(counts.items(), key=lambda item: item[0].label)
    ]


@transaction.atomic
def delete_record(record: Model) -> list[str]:
    """Delete ``record`` with what cascades from it; return what blocked it (nothing deleted)."""
    try:
        record.delete()
    except ProtectedError as error:
        return describe_protected(error)
    figures_changed()
    return []
