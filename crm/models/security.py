from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEventQuerySet(models.QuerySet):
    def older_than(self, moment):
        return self.filter(created_at__lt=moment)

    def update(self, **kwargs):
        raise TypeError("Security events are never changed.")

    def forget_target_names(self, *, name: str) -> int:
        """The one change an event takes: when a person's data is erased, the events about
        them keep their kind, time, actor and the record's id, and the name they were written
        with becomes ``name``."""
        return super().update(target_text=name)

    def about(self, model: type[models.Model], pks):
        return self.filter(
            target_type__app_label=model._meta.app_label,
            target_type__model=model._meta.model_name,
            target_id__in=[str(pk) for pk in pks],
        )


class SecurityEvent(models.Model):
    """One thing that matters to the security of the accounts and the data, as it happened.

    Rows are only ever added (``crm.security_log.record``) and, once past SECURITY_LOG_DAYS,
    purged: nothing changes one but a person's erasure, which takes their name out of the
    events about them (``forget_target_names``), and the admin only shows them."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKOUT = "lockout", _("Login locked")
        LOGOUT = "logout", _("Logout")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
        PASSWORD_RESET = "password_reset", _("Password reset")
        RIGHTS_CHANGED = "rights_changed", _("Role, team or permissions changed")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_USED = "token_used", _("API token used (first use of the day)")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        MERGE = "merge", _("Merge")
        ACCESS_DENIED = "access_denied", _("Access denied")
        BURST_ALERT = "burst_alert", _("Burst of lockouts or denials")
        PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Personal data exported")
        PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal data erased")
        TRASH_PURGED = "trash_purged", _("Deleted for good from the trash")

    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("username tried"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("target type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_text = models.CharField(_("target"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=128, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [
            models.Index(fields=["created_at"], name="crm_security_created"),
            models.Index(fields=["kind", "created_at"], name="crm_security_kind_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Security events are never changed.")
        super().save(*args, **kwargs)
