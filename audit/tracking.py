"""How an audited record's changes are noticed and written.

A record loaded from the database remembers the values it was loaded with (``from_db``, as
Django's documentation shows); when it is saved, every audited field whose value differs is
written as a ``FieldChange``, in one INSERT, with the channel and the user of the moment
(``audit.context``). What a bulk action changes with one UPDATE, which no ``save()`` sees,
its service tells with ``record_update``: one INSERT for all the records.
"""

from collections.abc import Iterable
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from audit.context import current_actor_id, current_channel
from audit.models import FieldChange
from audit.values import stored


class Audited(models.Model):
    """A record whose every business field keeps its history. ``audit_exclude`` names the
    fields left out: derived ones, and those another history already tells."""

    audit_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._audit_loaded = _loaded_values(instance)
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        remember(self)


@cache
def audited_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in model.audit_exclude
    )


def _loaded_values(record) -> dict:
    # Only what is in memory: reading a deferred field here would cost a query.
    return {
        field.attname: record.__dict__[field.attname]
        for field in audited_fields(type(record))
        if field.attname in record.__dict__
    }


def _related_names(field: models.ForeignKey, ids: set) -> dict:
    ids.discard(None)
    if not ids:
        return {}
    return {
        pk: str(related)
        for pk, related in field.related_model._base_manager.in_bulk(list(ids)).items()
    }


def _rows(pairs: list[tuple[models.Model, dict]], *, by=None) -> list[FieldChange]:
    """The changes of each (record, new values by attname) against what it was loaded with."""
    changed = []  # (record, field, old, new)
    for record, new_values in pairs:
        loaded = record.__dict__.get("_audit_loaded")
        if loaded is None:
            continue
        for field in audited_fields(type(record)):
            if field.attname in loaded and field.attname in new_values:
                old, new = loaded[field.attname], new_values[field.attname]
                if old != new:
                    changed.append((record, field, old, new))
    if not changed:
        return []
    names = {}
    for field in {field for _, field, _, _ in changed if isinstance(field, models.ForeignKey)}:
        ids = {value for _, f, old, new in changed if f is field for value in (old, new)}
        names[field] = _related_names(field, ids)
    content_types = {}
    now, channel = timezone.now(), current_channel()
    actor_id = by.pk if by is not None else current_actor_id()
    rows = []
    for record, field, old, new in changed:
        model = type(record)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        if isinstance(field, models.ForeignKey):
            old_text = names[field].get(old, "" if old is None else str(old))
            new_text = names[field].get(new, "" if new is None else str(new))
        else:
            old_text, new_text = stored(field, old), stored(field, new)
        rows.append(
            FieldChange(
                content_type=content_types[model],
                object_id=record.pk,
                field=field.name,
                old_value=old_text,
                new_value=new_text,
                changed_by_id=actor_id,
                changed_at=now,
                channel=channel,
            )
        )
    return rows


def record_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """``post_save`` of every audited model (connected in ``AuditConfig.ready``)."""
    if raw:
        return
    if not created:
        new_values = _loaded_values(instance)
        if update_fields is not None:
            names = {instance._meta.get_field(name).attname for name in update_fields}
            new_values = {name: value for name, value in new_values.items() if name in names}
        if rows := _rows([(instance, new_values)]):
            FieldChange.objects.bulk_create(rows)
    remember(instance)


def remember(record) -> None:
    """From now on ``record``'s changes are told against its values as they are."""
    loaded = record.__dict__.setdefault("_audit_loaded", {})
    loaded.update(_loaded_values(record))


def record_update(records: Iterable[models.Model], *, by=None, **values) -> int:
    """Write the history of an UPDATE that gave ``records`` (as loaded) the ``values`` (a
    related record given as the record, its id or None), in one INSERT, as ``by``'s change
    (else the user of the moment); return how many changes."""
    records = list(records)
    if not records:
        return 0
    model = type(records[0])
    new_values = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        new_values[field.attname] = value.pk if isinstance(value, models.Model) else value
    rows = _rows([(record, new_values) for record in records], by=by)
    FieldChange.objects.bulk_create(rows)
    for record in records:
        record.__dict__.setdefault("_audit_loaded", {}).update(new_values)
    return len(rows)
