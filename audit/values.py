"""A field's value as the audit keeps it (text) and as a reader sees it."""

import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _


def stored(field: models.Field, value) -> str:
    """``value`` (an attribute value: a related record's id is given as the record) as text."""
    if value is None:
        return ""
    if isinstance(field, models.ForeignKey):
        return str(value)[:200]
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def shown(field: models.Field | None, value: str) -> str:
    """What ``stored`` kept, for a reader: a choice's label in their language, a date in their
    format, yes or no for a flag."""
    if value == "" or field is None:
        return value
    if field.choices and not isinstance(field, models.ForeignKey):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value == "1" else _("No")
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        if isinstance(field, models.TimeField):
            return formats.time_format(datetime.time.fromisoformat(value), "TIME_FORMAT")
    except ValueError:
        return value
    return value
