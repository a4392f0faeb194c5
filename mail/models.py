import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import SUBJECT_FIELDS, Activity

# How long a failed email stays on its sender's day.
FAILED_SHOWN_DAYS = 7


class EmailTemplateQuerySet(models.QuerySet):
    def for_language(self, language: str):
        """Every template, those written in ``language`` first."""
        return self.annotate(
            other_language=models.Case(
                models.When(language=language, then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        ).order_by("other_language", "name", "language", "pk")


class EmailTemplate(models.Model):
    """A ready-made email that reps start from, kept by managers and admins. Its subject and
    body may hold placeholders (``{{ contact.first_name }}``: see ``mail.placeholders``),
    filled in when the email is sent. The body is stored sanitised."""

    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EmailTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "language", "pk"]
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")
        constraints = [
            models.UniqueConstraint(fields=["name", "language"], name="email_template_name_lang")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_language_display()})"


class OutboundEmailQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An email is seen by whoever sees its activity (and so the record it was sent from)."""
        return self.filter(activity__in=Activity.objects.visible_to(user).values("pk"))

    def failed(self):
        return self.filter(status=OutboundEmail.Status.FAILED)

    def failed_for(self, user, *, now: datetime.datetime | None = None):
        """The emails ``user`` sent that failed in the last ``FAILED_SHOWN_DAYS`` days, newest
        first, with the records they were about: what My day warns of."""
        since = (now or timezone.now()) - datetime.timedelta(days=FAILED_SHOWN_DAYS)
        return (
            self.failed()
            .filter(sent_by=user, created_at__gte=since)
            .select_related(*(f"activity__{field}" for field in SUBJECT_FIELDS))
            .order_by("-created_at", "-pk")
        )


class OutboundEmail(models.Model):
    """One email written in the CRM, with its recipients and how its sending went. Its
    activity (an Email, done when written) puts it on the record's timeline.

    Sent at most once: the worker claims it by moving it from queued to sending in one
    conditional UPDATE (``mail.sending.claim``), so a retried task or a second worker finds
    nothing to send.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    activity = models.OneToOneField(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="outbound_email",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    template = models.ForeignKey(
        EmailTemplate,
        verbose_name=_("template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Each recipient as {"kind": "contact" or "lead", "id": ..., "name": ..., "email": ...}:
    # the address it went to, and the person, whose opt-out is read again before sending.
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body_html = models.TextField(_("HTML body"), blank=True)
    body_text = models.TextField(_("text body"))
    # The header the email carries, without its angle brackets: replies name it.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(
        _("delivery"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When a worker took it to send: one still sending long after died on the way.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        indexes = [
            # A sender's failed emails, for My day.
            models.Index(
                fields=["sent_by", "created_at"],
                condition=Q(status="failed"),
                name="outbound_email_failed_idx",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    # What the timeline includes for the email's activity (see activities.timeline).
    template_name = "mail/timeline_email.html"

    @property
    def to_addresses(self) -> list[str]:
        return [recipient["email"] for recipient in self.to]

    @property
    def cc_addresses(self) -> list[str]:
        return [recipient["email"] for recipient in self.cc]

    @property
    def recipients(self) -> list[dict]:
        return [*self.to, *self.cc]

    @property
    def record(self):
        return self.activity.record
