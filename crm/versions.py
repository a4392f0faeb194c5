"""Nobody overwrites an edit they have not seen.

Every owned record carries a ``version`` (``crm.models.companies.OwnedRecord``) and every write
through the app raises it. A form loaded from a record carries the version in a hidden field and
each field's loaded value beside it (Django's ``show_hidden_initial``). A save made from a form
loaded at an older version is refused with ``StaleEdit``; the form then comes back with what the
user typed, the other changes filled in where the user left a field alone, and the list of what
changed meanwhile (``VersionedForm.meanwhile``), so that the user can check it and save again.

Deals keep their own single-UPDATE save (``opportunities.services``), which also records their
history; the rule is the same.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# The hidden inputs holding the loaded values of fields a form shows but does not edit.
SEEN_PREFIX = "seen_"


class StaleEdit(Exception):
    """The record was saved by someone else since the edit began; nothing was written."""

    def __init__(self, current: models.Model):
        self.current = current
        super().__init__(f"{current._meta.label} {current.pk} is now at version {current.version}.")


def save_if_current[Record: models.Model](
    record: Record, *, version: int, fields: list[str]
) -> Record:
    """Write ``fields`` of ``record`` if it is still at ``version``, raising its version;
    otherwise write nothing and raise ``StaleEdit`` with the record as it is now.

    The version is claimed by one UPDATE that checks it, so two saves racing from the same
    version cannot both pass: the second finds no row at that version (and, on PostgreSQL,
    waits for the first to commit). The fields are then written through ``save()`` in the same
    transaction, so that what a model derives when saved (a company's match keys) follows.
    With no fields nothing is written, and a stale version is still refused: the user then
    sees the newer values.
    """
    model = type(record)
    at_version = model._base_manager.filter(pk=record.pk, version=version)
    with transaction.atomic():
        if not fields:
            if not at_version.exists():
                raise StaleEdit(model._base_manager.get(pk=record.pk))
            return record
        if not at_version.update(version=F("version") + 1):
            raise StaleEdit(model._base_manager.get(pk=record.pk))
        record.version = version + 1
        record.save(update_fields=[*fields, "updated_at"])
    return record


@dataclass(frozen=True)
class Change:
    """A field someone else changed since the form was loaded, as it reads now. ``yours`` is
    what this user entered there when they changed it too (the form keeps theirs), else None."""

    label: str
    now: str
    yours: str | None = None

    def describe(self) -> str:
        """One line saying it, for a message (the admin's form errors)."""
        now = f"“{self.now}”" if self.now else _("(empty)")
        if self.yours is None:
            return _("%(field)s, now saved: %(now)s") % {"field": self.label, "now": now}
        yours = f"“{self.yours}”" if self.yours else _("(empty)")
        return _("%(field)s, now saved: %(now)s; you entered: %(yours)s") % {
            "field": self.label,
            "now": now,
            "yours": yours,
        }


@dataclass(frozen=True)
class Meanwhile:
    """After a refused save: what changed meanwhile, and the data to bind the form again with
    (what the user changed, the current values elsewhere, the current version)."""

    changes: list[Change]
    data: Any


def stale_message() -> str:
    return _(
        "Someone else saved this record while you were editing it. Nothing of yours was saved yet."
    )


def shown(record: models.Model, name: str, value: Any) -> str:
    """``value`` of ``record``'s field ``name`` as a person reads it."""
    if value is None or value == "":
        return ""
    field = record._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    if isinstance(value, datetime.date | datetime.time | Decimal | int | float):
        return formats.localize(value)
    return str(value)


def _loaded(field: forms.Field, record: models.Model, name: str) -> Any:
    """What a form field shows for ``record``'s ``name`` when loaded from it (as
    ``BaseForm.get_initial_for_field`` has it)."""
    value = record._meta.get_field(name).value_from_object(record)
    if (
        isinstance(value, datetime.datetime | datetime.time)
        and not field.widget.supports_microseconds
    ):
        value = value.replace(microsecond=0)
    return value


def _as_input(field: forms.Field, value: Any) -> str:
    """``value`` as the hidden input holding it is written."""
    prepared = field.prepare_value(value)
    return "" if prepared is None else str(prepared)


def _put(data, widget: forms.Widget, name: str, value: Any) -> None:
    """Set ``value`` in ``data`` under ``name`` as ``widget`` reads it back (a date and a
    time for a split date-time widget)."""
    if isinstance(widget, forms.MultiWidget):
        values = value if isinstance(value, list | tuple) else widget.decompress(value)
        for suffix, part, part_value in zip(
            widget.widgets_names, widget.widgets, values, strict=True
        ):
            _put(data, part, name + suffix, part_value)
    else:
        data[name] = value


def _differs(field: forms.Field, now: Any, started: Any) -> bool:
    """Whether the value ``now`` differs from ``started`` (what the form was loaded with)."""
    if isinstance(started, str) and started == _as_input(field, now):
        return False  # the same text, even one the field would refuse (a number kept as typed)
    return field.has_changed(now, started)


class VersionedForm:
    """A form editing ``self.instance``, an owned record, which refuses to overwrite a newer
    version of it. Mixed into a ModelForm, or a plain form that sets ``instance`` first.

    The view saves with ``loaded_version`` and ``edited()``; on ``StaleEdit`` it binds the form
    again with ``meanwhile(current).data`` and shows ``meanwhile(current).changes``.
    """

    # Fields of the record that the form shows but does not edit (a lead's status): their
    # loaded values travel in hidden inputs, so that a change to them is named too.
    seen_fields: tuple[str, ...] = ()

    instance: models.Model

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return  # a new record: nothing to be overwritten
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=self.instance.version
        )
        for name in self._edited_fields():
            self.fields[name].show_hidden_initial = True
            self.initial.setdefault(name, _loaded(self.fields[name], self.instance, name))
        for name in self.seen_fields:
            field = self._seen_field(name)
            self.fields[SEEN_PREFIX + name] = forms.CharField(
                widget=forms.HiddenInput,
                required=False,
                strip=False,
                initial=_as_input(field, _loaded(field, self.instance, name)),
            )

    def _edited_fields(self) -> list[str]:
        names = {field.name for field in self.instance._meta.concrete_fields} - {"version"}
        return [name for name, field in self.fields.items() if name in names and not field.disabled]

    def _seen_field(self, name: str) -> forms.Field:
        return self.instance._meta.get_field(name).formfield()

    @property
    def loaded_version(self) -> int:
        """The version the form was loaded at. A post without one (from a page served before
        records had versions) counts as loaded now."""
        return self.cleaned_data.get("version") or self.instance.version

    def _posted_initial(self, name: str) -> bool:
        """Whether the hidden copy of field ``name``'s loaded value was posted (a page served
        before records had versions has none)."""
        bound = self[name]
        hidden = bound.field.hidden_widget()
        return not hidden.value_omitted_from_data(self.data, self.files, bound.html_initial_name)

    def _started(self, name: str) -> Any:
        """What field ``name`` held when the form was loaded: its hidden copy if posted, else
        the record's value as this request read it."""
        bound = self[name]
        if not self._posted_initial(name):
            return bound.initial
        return bound.field.hidden_widget().value_from_datadict(
            self.data, self.files, bound.html_initial_name
        )

    def _changed_by_user(self, name: str) -> bool:
        if self._posted_initial(name):
            return name in self.changed_data
        bound = self[name]
        return bound.field.has_changed(bound.initial, bound.data)

    def edited(self) -> dict[str, Any]:
        """The cleaned values of the fields this user changed since loading the form."""
        return {
            name: self.cleaned_data[name]
            for name in self._edited_fields()
            if name in self.cleaned_data and self._changed_by_user(name)
        }

    def meanwhile(self, current: models.Model) -> Meanwhile:
        """What ``current`` (the record as saved now) changed since the form was loaded, and
        the data to bind the form with again: what this user changed stays, every other field
        takes its current value, and the version is the current one."""
        data = self.data.copy()
        changes = []
        for name in self._edited_fields():
            field, bound = self.fields[name], self[name]
            now = _loaded(field, current, name)
            mine = self._changed_by_user(name)
            # Both made the same change: nothing to choose between.
            agreed = mine and not field.has_changed(now, bound.data)
            if _differs(field, now, self._started(name)) and not agreed:
                yours = None
                if mine:
                    yours = shown(current, name, self.cleaned_data.get(name, bound.data))
                label = str(bound.label)
                changes.append(Change(label, shown(current, name, getattr(current, name)), yours))
            if not mine:
                _put(data, field.widget, bound.html_name, now)
            _put(data, field.hidden_widget(), bound.html_initial_name, now)
        for name in self.seen_fields:
            field, key = self._seen_field(name), self.add_prefix(SEEN_PREFIX + name)
            now = _loaded(field, current, name)
            if key in self.data and _differs(field, now, self.data[key]):
                label = capfirst(current._meta.get_field(name).verbose_name)
                changes.append(Change(label, shown(current, name, getattr(current, name))))
            data[key] = _as_input(field, now)
        data[self.add_prefix("version")] = current.version
        return Meanwhile(changes=changes, data=data)
