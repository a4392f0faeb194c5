import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The events an endpoint may ask for, as receivers see their names.
EVENTS = [
    ("lead.created", _("A lead is created")),
    ("lead.updated", _("A lead is edited, assigned, started or reopened")),
    ("lead.qualified", _("A lead is qualified")),
    ("lead.disqualified", _("A lead is disqualified")),
    ("lead.converted", _("A lead is converted")),
    ("opportunity.created", _("A deal is created")),
    ("opportunity.updated", _("A deal is edited")),
    ("opportunity.stage_changed", _("A deal moves to another stage")),
    ("opportunity.won", _("A deal is won")),
    ("opportunity.lost", _("A deal is lost")),
    ("opportunity.reopened", _("A deal is reopened")),
    ("activity.completed", _("An activity is done")),
    ("company.created", _("A company is created")),
    ("company.updated", _("A company is edited")),
    ("contact.created", _("A contact is created")),
    ("contact.updated", _("A contact is edited")),
    ("lead.deleted", _("A lead is deleted (moved to the trash)")),
    ("opportunity.deleted", _("A deal is deleted (moved to the trash)")),
    ("activity.deleted", _("An activity is deleted (moved to the trash)")),
    ("company.deleted", _("A company is deleted (moved to the trash)")),
    ("contact.deleted", _("A contact is deleted (moved to the trash)")),
    ("lead.restored", _("A lead is restored from the trash")),
    ("opportunity.restored", _("A deal is restored from the trash")),
    ("activity.restored", _("An activity is restored from the trash")),
    ("company.restored", _("A company is restored from the trash")),
    ("contact.restored", _("A contact is restored from the trash")),
]
EVENT_NAMES = {name for name, _label in EVENTS}


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class EndpointQuerySet(models.QuerySet):
    def receiving(self):
        """The endpoints events are written for: the active ones, and those disabled for
        failing (theirs wait until an admin makes them active again); not those an admin
        switched off."""
        return self.filter(models.Q(active=True) | models.Q(disabled_at__isnull=False))


class Endpoint(models.Model):
    """A URL that receives the events it asks for, signed with its secret."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("failed attempts in a row"), default=0)
    # The first failed attempt since the last delivered one: an endpoint is disabled only
    # once it has been failing for a while, not after a short outage on a busy day.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url

    def change_secret(self) -> None:
        """A new secret (the old one leaked): events are signed with it from now on."""
        self.secret = new_secret()
        self.save(update_fields=["secret"])


class Event(models.Model):
    """The outbox: one change, as the API rendered the record when it was made."""

    uuid = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("event"), max_length=50)
    record_type = models.CharField(_("record type"), max_length=30)
    record_id = models.PositiveBigIntegerField(_("record id"))
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.record_type} {self.record_id}"

    @property
    def record_key(self) -> str:
        return f"{self.record_type}:{self.record_id}"

    @property
    def retry_until(self):
        return self.created_at + timedelta(hours=settings.WEBHOOKS_RETRY_HOURS)


class DeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Delivery.Status.PENDING)

    def due(self, now=None):
        """Pending deliveries to active endpoints whose time has come."""
        return self.pending().filter(
            next_attempt_at__lte=now or timezone.now(), endpoint__active=True
        )

    def ahead_of(self, delivery: "Delivery"):
        """Pending deliveries of the same record to the same endpoint queued before it: they
        go first, so that a receiver sees each record's changes in order."""
        return self.pending().filter(
            endpoint_id=delivery.endpoint_id, record_key=delivery.record_key, pk__lt=delivery.pk
        )


class Delivery(models.Model):
    """One event sent to one endpoint: tried until it is answered with a 2xx or given up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event")
    )
    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    # The event's record, here so that the order check reads one table.
    record_key = models.CharField(_("record"), max_length=60)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(
                fields=["endpoint", "record_key", "status"], name="webhook_delivery_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.name} → {self.endpoint}"
