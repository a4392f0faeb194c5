from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MergedRecordQuerySet(models.QuerySet):
    def survivor_of(self, label: str, pk: int) -> int | None:
        """The id of the record that ``label`` #``pk`` was merged into, if it was."""
        return self.filter(model=label, old_pk=pk).values_list("survivor_pk", flat=True).first()


class MergedRecord(models.Model):
    """One record merged into another: its old address answers with the survivor's page."""

    model = models.CharField(_("kind"), max_length=50)  # "crm.Company", "leads.Lead"...
    old_pk = models.PositiveBigIntegerField(_("merged record"))
    survivor_pk = models.PositiveBigIntegerField(_("kept record"))
    name = models.CharField(_("name"), max_length=300)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    objects = MergedRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merged record")
        verbose_name_plural = _("merged records")
        constraints = [
            models.UniqueConstraint(fields=["model", "old_pk"], name="merged_once"),
        ]
        indexes = [models.Index(fields=["model", "survivor_pk"], name="merged_survivor_idx")]

    def __str__(self) -> str:
        return f"{self.model} {self.old_pk} → {self.survivor_pk}"
