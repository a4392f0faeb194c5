import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.scoping import OwnedQuerySet

# Every query of the default manager asks for the rows not in the trash: the indexes that
# answer a query from the index alone (My day, the board) hold only those, or they would have
# to read each row from the table to learn it. The other indexes stay whole: one holding
# nearly every row is no smaller for the condition, and PostgreSQL would read it end to end
# in place of a sequential scan. The index that finds a batch's rows holds only those.
LIVE = models.Q(deleted_at__isnull=True)
TRASHED = models.Q(trash_batch__isnull=False)


class LiveManager(models.Manager):
    """The default manager of every record that can go to the trash: the trashed rows are not
    there. Every list, search, board, report, export, API view and count starts from it (or
    from a related manager, which Django makes from it), so none of them has to think of the
    trash; the trash itself reads ``Model.with_trash``."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class TrashBatchQuerySet(OwnedQuerySet):
    def older_than(self, moment):
        return self.filter(deleted_at__lt=moment)


class TrashBatch(models.Model):
    """One deletion: the record deleted (its ``root``) and whatever went to the trash with it
    (its activities), each marked with this batch, so that one restore brings back all of them.

    Its owner and team are the deleted record's, so that ``visible_to`` finds it for whoever
    could delete the record. ``cleared_links`` are the links of live records to what was
    deleted (a contact's company, a deal's contact), emptied as deleting would and set again
    by a restore: ``[[model label, pk, field name, id], ...]``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    deleted_at = models.DateTimeField(_("deleted"), db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    root_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    root_id = models.PositiveBigIntegerField()
    label = models.CharField(_("name"), max_length=200)
    along = models.PositiveIntegerField(_("records deleted with it"), default=0)
    cleared_links = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        "crm.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TrashBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-deleted_at"]
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")

    def __str__(self) -> str:
        return self.label

    @property
    def kind(self) -> str:
        """What the deleted record is ("deal", "company"), in the reader's language."""
        return self.root_type.model_class()._meta.verbose_name
