"""The trash: deleting a company, contact, lead, deal or activity moves it there, with what
depends on it, for TRASH_DAYS days; it can be restored in one go or deleted for good.

A deletion is one ``TrashBatch``. Following the relations as a delete would:

- what would be deleted with the record (its activities: ``CASCADE``) goes to the trash with
  it, in the same batch; history rows that cannot be trashed stay on the hidden record;
- what would keep it from being deleted (``PROTECT``: a company's deals, a lead's conversion)
  still does, unless it is in the trash itself, or the user takes the records that can be
  trashed along (``along=True``);
- the links of live records to it (``SET_NULL``: a contact's company) are emptied, as a delete
  would, and noted on the batch so that a restore sets them again.

The default manager of these models (``LiveManager``) leaves trashed rows out, so no list,
search, report, export or API view shows them. ``purge_expired_trash`` (the ``purge_trash``
command) deletes for good what has been there longer than TRASH_DAYS.
"""

import datetime
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import FieldChange
from crm.models import TrashBatch, User
from crm.models.companies import OwnedRecord
from crm.security_log import Kind
from crm.security_log import record as record_security_event
from infra.events import emit_all
from infra.report_cache import figures_changed

logger = logging.getLogger(__name__)


def is_trashable(model: type[models.Model]) -> bool:
    return issubclass(model, OwnedRecord)


def trashable_models() -> list[type[OwnedRecord]]:
    return [model for model in apps.get_models() if is_trashable(model)]


def _counted(rows: list[models.Model]) -> list[str]:
    """``["2 opportunities", "1 lead conversion"]``: what ``rows`` are, counted by kind."""
    counts = Counter(type(row)._meta for row in rows)
    return [
        f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
        for meta, count in sorted(counts.items(), key=lambda item: item[0].label)
    ]


@dataclass
class Plan:
    """What deleting a record would do: the rows that go to the trash (the record first),
    the links emptied, and what keeps it from going (``blockers``). ``takeable`` tells whether
    every blocker could go to the trash with it (``along=True``)."""

    rows: list[models.Model] = field(default_factory=list)
    links: list[tuple[models.Model, str, int]] = field(default_factory=list)
    blocking: list[models.Model] = field(default_factory=list)

    @property
    def blockers(self) -> list[str]:
        return _counted(self.blocking)

    @property
    def along(self) -> list[str]:
        """What goes to the trash with the record, counted (``["3 activities"]``)."""
        return _counted(self.rows[1:])

    @property
    def takeable(self) -> bool:
        return bool(self.blocking) and all(is_trashable(type(row)) for row in self.blocking)

    def visible_to(self, user: User) -> bool:
        """Whether ``user`` sees every record of the plan: only then may they take the
        blockers along."""
        by_model = defaultdict(set)
        for row in [*self.rows, *self.blocking]:
            by_model[type(row)].add(row.pk)
        return all(
            model.objects.visible_to(user).filter(pk__in=pks).count() == len(pks)
            for model, pks in by_model.items()
        )


def _dependents(row: models.Model):
    """Each reverse relation of ``row`` with its rule and the rows on the other side (the
    live ones, for a model that can be trashed: a trashed row depends on nothing)."""
    for relation in row._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        model = relation.related_model
        manager = model.objects if is_trashable(model) else model._base_manager
        rows = list(manager.filter(**{relation.field.name: row.pk}).order_by("pk"))
        if rows:
            yield relation.on_delete, relation.field, rows


def plan_trash(record: OwnedRecord, *, along: bool = False) -> Plan:
    """What deleting ``record`` moves to the trash; with ``along``, the records that would
    block it and can be trashed go with it (a company's deals, and their activities)."""
    plan = Plan()
    seen: set[tuple[str, int]] = set()

    def take(row: models.Model) -> None:
        key = (row._meta.label, row.pk)
        if key in seen:
            return
        seen.add(key)
        plan.rows.append(row)
        for on_delete, fk, rows in _dependents(row):
            if on_delete is models.CASCADE:
                for dependent in rows:
                    if is_trashable(type(dependent)):
                        take(dependent)
            elif on_delete in (models.PROTECT, models.RESTRICT):
                for dependent in rows:
                    if along and is_trashable(type(dependent)):
                        take(dependent)
                    else:
                        plan.blocking.append(dependent)
            elif on_delete is models.SET_NULL:
                plan.links.extend((dependent, fk.name, row.pk) for dependent in rows)

    take(record)
    taken = {(row._meta.label, row.pk) for row in plan.rows}
    # A link or a blocker that goes to the trash itself is no longer one.
    plan.blocking = [row for row in plan.blocking if (row._meta.label, row.pk) not in taken]
    plan.links = [link for link in plan.links if (link[0]._meta.label, link[0].pk) not in taken]
    return plan


def _emit(suffix: str, rows: list[models.Model]) -> None:
    by_model = defaultdict(list)
    for row in rows:
        by_model[row._meta.model_name].append(row)
    for name, group in by_model.items():
        emit_all(f"{name}.{suffix}", group)


@transaction.atomic
def trash_record(record: OwnedRecord, *, by: User, along: bool = False) -> Plan:
    """Move ``record`` and what depends on it to the trash (see ``plan_trash``), as one batch.
    The plan is returned; when it has blockers nothing was moved."""
    record_given = record
    record = type(record).objects.select_for_update().get(pk=record.pk)
    plan = plan_trash(record, along=along)
    if plan.blocking:
        return plan
    now = timezone.now()
    batch = TrashBatch.objects.create(
        deleted_at=now,
        deleted_by=by,
        root_type=ContentType.objects.get_for_model(record),
        root_id=record.pk,
        label=str(record)[:200],
        along=len(plan.rows) - 1,
        owner_id=record.owner_id,
        team_id=record.team_id,
        cleared_links=[[row._meta.label, row.pk, name, value] for row, name, value in plan.links],
    )
    by_model = defaultdict(list)
    for row in plan.rows:
        by_model[type(row)].append(row.pk)
    for model, pks in by_model.items():
        model.objects.filter(pk__in=pks).update(deleted_at=now, trash_batch=batch)
    for row, name, _value in plan.links:
        type(row)._base_manager.filter(pk=row.pk).update(**{name: None})
    for row in (record_given, *plan.rows):
        row.deleted_at, row.trash_batch = now, batch
    _emit("deleted", plan.rows)
    figures_changed()
    return plan


class RestoreRefused(Exception):
    """A restore that cannot be done; its message says why, to the user."""


def batch_rows(batch: TrashBatch) -> list[OwnedRecord]:
    """The records of ``batch``, the deleted one first."""
    rows = [
        row
        for model in trashable_models()
        for row in model.with_trash.filter(trash_batch=batch).order_by("pk")
    ]
    root = (batch.root_type.model_class()._meta.label, batch.root_id)
    rows.sort(key=lambda row: (row._meta.label, row.pk) != root)
    return rows


def _still_in_trash(rows: list[OwnedRecord], batch: TrashBatch) -> list[OwnedRecord]:
    """The records outside ``batch`` that its rows point at and that are in the trash: a
    restored deal may not belong to a company that is still there."""
    trashed = []
    for row in rows:
        for fk in row._meta.concrete_fields:
            if not fk.is_relation or not is_trashable(fk.related_model):
                continue
            target_id = getattr(row, fk.attname)
            if target_id is None:
                continue
            target = fk.related_model.with_trash.filter(pk=target_id).first()
            if target and target.deleted_at and target.trash_batch_id != batch.pk:
                trashed.append(target)
    return trashed


@transaction.atomic
def restore_batch(batch: TrashBatch, *, by: User) -> list[OwnedRecord]:
    """Bring back everything ``batch`` took to the trash, with the links it emptied (those
    not set to something else since); the records restored, the deleted one first. Raises
    ``RestoreRefused`` (nothing changed) when it cannot be done."""
    batch = TrashBatch.objects.select_for_update().get(pk=batch.pk)
    rows = batch_rows(batch)
    if not rows:
        raise RestoreRefused(_("“%(name)s” is no longer in the trash.") % {"name": batch})
    if blocked := _still_in_trash(rows, batch):
        raise RestoreRefused(
            _("“%(name)s” belongs to records that are in the trash: restore %(records)s first.")
            % {"name": batch, "records": ", ".join(f"“{row}”" for row in blocked)}
        )
    try:
        with transaction.atomic():
            for model in trashable_models():
                model.with_trash.filter(trash_batch=batch).update(deleted_at=None, trash_batch=None)
            for label, pk, name, value in batch.cleared_links:
                model = apps.get_model(label)
                model._base_manager.filter(pk=pk, **{name: None}).update(**{f"{name}_id": value})
    except IntegrityError as error:
        logger.info("Restore refused by the database", extra={"batch": str(batch.pk)})
        raise RestoreRefused(
            _("“%(name)s” cannot be restored: a record in use now clashes with it.")
            % {"name": batch}
        ) from error
    batch.delete()
    for row in rows:
        row.deleted_at, row.trash_batch = None, None
    _emit("restored", rows)
    figures_changed()
    logger.info("Trash restored", extra={"records": len(rows), "by": by.pk})
    return rows


class PurgeRefused(Exception):
    """Deleting for good cannot be done yet; its message says why."""


@transaction.atomic
def purge_batch(batch: TrashBatch, *, by: User | None = None) -> int:
    """Delete for good what ``batch`` holds (and with it the history of those records); how
    many records went. Recorded in the security log. Raises ``PurgeRefused`` while another
    record in the trash still depends on one of them (deleted for good first, or restored)."""
    batch = TrashBatch.objects.select_for_update().get(pk=batch.pk)
    rows = batch_rows(batch)
    try:
        with transaction.atomic():
            for model in trashable_models():
                gone = model.with_trash.filter(trash_batch=batch)
                # Their fields' history (a content type and an id, no foreign key) goes too.
                FieldChange.objects.of_any(model, [row.pk for row in gone]).delete()
                # Their dependents cascade as a delete does (through _base_manager).
                gone.delete()
    except models.ProtectedError as error:
        raise PurgeRefused(
            _("“%(name)s” cannot be deleted for good while these depend on it: %(records)s.")
            % {"name": batch, "records": ", ".join(_counted(list(error.protected_objects)))}
        ) from error
    record_security_event(
        Kind.TRASH_PURGED,
        actor=by,
        # The deleted record as it was read above: gone from the table now, it keeps its name.
        target=rows[0] if rows else batch.label,
        records=len(rows),
        deleted_at=batch.deleted_at.isoformat(),
    )
    batch.delete()
    return len(rows)


def purge_expired_trash(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete for good what has been in the trash longer than TRASH_DAYS, oldest first, each
    deletion in its own transaction; (records deleted, deletions kept back because something
    newer in the trash depends on them: they go in a later run)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.TRASH_DAYS)
    purged = kept = 0
    for batch in TrashBatch.objects.older_than(cutoff).order_by("deleted_at"):
        try:
            purged += purge_batch(batch)
        except PurgeRefused:
            kept += 1
    return purged, kept
