from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReferenceItemQuerySet(models.QuerySet):
    def offered(self, *, keep: int | None = None):
        """The entries a picker offers: the active ones, and ``keep`` (the id a record holds
        now), so that editing a record whose entry was retired does not clear it."""
        return self.filter(Q(is_active=True) | Q(pk=keep)) if keep else self.filter(is_active=True)


class ReferenceItem(models.Model):
    """One entry of a short list that managers keep (lead sources, disqualification and lost
    reasons): a name, and whether it is still offered. An entry that records point at is
    retired (made inactive), not deleted: the records keep it, pickers no longer offer it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReferenceItemQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def new(cls, name: str) -> "ReferenceItem":
        """An entry named ``name``, not saved yet, holding what else a new entry needs."""
        return cls(name=name)
