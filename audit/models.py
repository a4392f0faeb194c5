from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PAGE = "page", _("Page")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    MERGE = "merge", _("Merge")
    SYSTEM = "system", _("System")


class FieldChangeQuerySet(models.QuerySet):
    # By the content type's natural key, joined: a page then costs no query for its id.
    def of_model(self, model: type[models.Model]) -> "FieldChangeQuerySet":
        return self.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )

    def of(self, record: models.Model) -> "FieldChangeQuerySet":
        """The changes made to ``record``'s own fields."""
        return self.of_model(type(record)).filter(object_id=record.pk)

    def of_any(self, model: type[models.Model], ids) -> "FieldChangeQuerySet":
        """The changes made to the ``model`` records whose ids are ``ids`` (a list or a
        subquery of ids)."""
        return self.of_model(model).filter(object_id__in=ids)


class FieldChange(models.Model):
    """One field of one record changed: from what to what, by whom, when, through which channel.

    Written by ``audit.tracking`` when an audited record is saved, and in one INSERT for the
    many records a bulk action changes. Values are kept as text: a related record by its name
    at the time, a choice by its code (shown in the reader's language), a date in ISO form.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("record id"))
    field = models.CharField(_("field"), max_length=60)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.SYSTEM
    )

    objects = FieldChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("field change")
        verbose_name_plural = _("field changes")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-changed_at"], name="audit_record_idx"
            ),
            models.Index(fields=["-changed_at"], name="audit_changed_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}/{self.object_id} {self.field}"

    @property
    def model_field(self):
        model = self.content_type.model_class()  # select_related where many are shown
        try:
            return model._meta.get_field(self.field) if model is not None else None
        except FieldDoesNotExist:  # a field since removed
            return None

    @property
    def field_label(self) -> str:
        field = self.model_field
        return str(field.verbose_name).capitalize() if field is not None else self.field

    @property
    def old_display(self) -> str:
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value)

    def _display(self, value: str) -> str:
        from audit.values import shown

        return shown(self.model_field, value)
