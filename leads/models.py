from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.matching import normalized_email_expression, normalized_phone_expression
from crm.models.companies import OwnedRecord
from crm.models.scoping import OwnedQuerySet


class LeadSource(models.Model):
    """Where leads come from (phone call, website form, trade show...). Managed by admins."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(
        _("code"), max_length=50, unique=True, help_text=_("Stable key used by the app, e.g. web.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lead source")
        verbose_name_plural = _("lead sources")

    def __str__(self) -> str:
        return self.name


class DisqualifyReason(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("disqualification reason")
        verbose_name_plural = _("disqualification reasons")

    def __str__(self) -> str:
        return self.name


class LeadQuerySet(OwnedQuerySet):
    def promising(self):
        """Leads still worth a rep's time: new, being worked, or qualified but not converted."""
        return self.filter(status__in=Lead.PROMISING)


class Lead(OwnedRecord):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        WORKING = "working", _("Working")
        QUALIFIED = "qualified", _("Qualified")
        DISQUALIFIED = "disqualified", _("Disqualified")
        CONVERTED = "converted", _("Converted")

    PROMISING = (Status.NEW, Status.WORKING, Status.QUALIFIED)

    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True)
    source = models.ForeignKey(
        LeadSource,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    disqualify_reason = models.ForeignKey(
        DisqualifyReason,
        verbose_name=_("disqualification reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    disqualify_note = models.TextField(_("disqualification note"), blank=True)
    email_normalized = models.GeneratedField(
        expression=normalized_email_expression("email"),
        output_field=models.CharField(max_length=254),
        db_persist=True,
    )
    phone_normalized = models.GeneratedField(
        expression=normalized_phone_expression("phone"),
        output_field=models.CharField(max_length=50),
        db_persist=True,
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["email_normalized"], name="lead_email_idx"),
            models.Index(fields=["phone_normalized"], name="lead_phone_idx"),
            models.Index(fields=["status", "-created_at"], name="lead_status_created_idx"),
            models.Index(fields=["owner", "status"], name="lead_owner_status_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_converted(self) -> bool:
        return self.status == self.Status.CONVERTED

    def get_absolute_url(self) -> str:
        return reverse("leads:detail", args=[self.pk])


class LeadStatusChange(models.Model):
    """One row per status change of a lead: who moved it, when, from what to what."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("from"), max_length=20, choices=Lead.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Lead.Status.choices)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("lead status change")
        verbose_name_plural = _("lead status changes")
        indexes = [models.Index(fields=["lead", "-changed_at"], name="lead_change_idx")]

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.from_status} → {self.to_status}"


class LeadConversion(models.Model):
    """What a lead became. One per lead: the unique lead column is the backstop against
    converting the same lead twice (double click, two tabs, two users)."""

    lead = models.OneToOneField(Lead, on_delete=models.PROTECT, related_name="conversion")
    contact = models.ForeignKey(
        "crm.Contact", on_delete=models.PROTECT, related_name="lead_conversions"
    )
    company = models.ForeignKey(
        "crm.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_conversions",
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_conversions",
    )
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    converted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lead conversion")
        verbose_name_plural = _("lead conversions")

    def __str__(self) -> str:
        return f"{self.lead} → {self.contact}"
