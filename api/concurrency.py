"""Versions as ETags: a detail answers ``ETag: "<version>"``; a write sent with ``If-Match``
is refused with 412 and the record as it is now when someone saved it since."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from crm.versions import StaleEdit


def etag(record: models.Model) -> str:
    return f'"{record.version}"'


def if_match(request) -> int | None:
    """The version ``If-Match`` names; None without one (or ``*``): the write then applies to
    the record as it is."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise ValidationError({"If-Match": [_('Send the ETag of the record, such as "3".')]})
    return int(tag)


def check_version(request, record: models.Model) -> int:
    """Lock ``record``'s row (inside a transaction) and refuse it if ``If-Match`` names an
    older version; returns the version the write applies to."""
    model = type(record)
    current = model._base_manager.select_for_update().values_list("version", flat=True)
    version = current.get(pk=record.pk)
    expected = if_match(request)
    if expected is not None and expected != version:
        raise StaleEdit(model._base_manager.get(pk=record.pk))
    return version
