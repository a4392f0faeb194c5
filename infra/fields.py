"""Model field shorthands the apps' models share."""

from django.db import models


def optional_foreign_key(to, *, on_delete=models.SET_NULL, **options) -> models.ForeignKey:
    """A link a record may lack: NULL in the database, blank in forms, and by default cleared
    (not cascaded) when the other side goes."""
    return models.ForeignKey(to, on_delete=on_delete, null=True, blank=True, **options)
