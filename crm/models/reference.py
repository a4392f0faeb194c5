from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceItem(models.Model):
    """One entry of a short list that admins keep (lead sources, disqualification and lost
    reasons): a name, and whether it is still offered. An entry that records point at is
    retired (made inactive), not deleted."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
