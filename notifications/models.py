from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def newest_first(self):
        return self.order_by("-created_at", "-pk")


class Notification(models.Model):
    """Something one user is told about a record. The text is written when it is shown, from
    its kind and parameters, so that it reads in the reader's language of the day."""

    class Kind(models.TextChoices):
        LEAD_ASSIGNED = "lead_assigned", _("Lead assigned to you")
        DEAL_HANDED_OVER = "deal_handed_over", _("Deal handed to you")
        REMINDER = "reminder", _("Reminder")
        ENDPOINT_DISABLED = "endpoint_disabled", _("Webhook endpoint disabled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # What it is about, for the admin and for a record's clean-up; ``url`` opens it.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The bell's unread count and the list, newest first.
            models.Index(fields=["user", "read_at", "created_at"], name="notification_user_idx"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def text(self) -> str:
        """What it says, in the active language."""
        params = {"name": "", "actor": "", "time": "", "url": "", **self.params}
        if self.kind == self.Kind.LEAD_ASSIGNED:
            if params["actor"]:
                return gettext("%(actor)s assigned the lead %(name)s to you.") % params
            return gettext("The lead %(name)s was assigned to you.") % params
        if self.kind == self.Kind.DEAL_HANDED_OVER:
            if params["actor"]:
                return gettext("%(actor)s handed the deal %(name)s to you.") % params
            return gettext("The deal %(name)s was handed to you.") % params
        if self.kind == self.Kind.REMINDER:
            return gettext("Reminder: %(name)s, at %(time)s.") % params
        if self.kind == self.Kind.ENDPOINT_DISABLED:
            text = gettext("The webhook endpoint %(name)s failed again and again and was disabled.")
            return text % params
        return str(self.get_kind_display())
