import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from crm.models.companies import Person, PersonQuerySet, website_validator
from crm.models.reference import ReferenceItem
from crm.models.trash import LIVE, TRASHED, LiveManager
from infra.fields import optional_foreign_key


class LeadSource(ReferenceItem):
    """Where leads come from (phone call, website form, trade show...). Kept in the settings."""

    code = models.SlugField(
        _("code"), max_length=50, unique=True, help_text=_("Stable key used by the app, e.g. web.")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("lead source")
        verbose_name_plural = _("lead sources")

    @classmethod
    def new(cls, name: str) -> "LeadSource":
        """A source named ``name`` with a code made from it: "Trade show" gets
        ``trade-show``, or ``trade-show-2`` when that is taken."""
        base = slugify(name)[:40] or "source"
        taken = set(cls.objects.filter(code__startswith=base).values_list("code", flat=True))
        code, number = base, 1
        while code in taken:
            number += 1
            code = f"{base}-{number}"
        return cls(name=name, code=code)


class DisqualifyReason(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("disqualification reason")
        verbose_name_plural = _("disqualification reasons")


class LeadQuerySet(PersonQuerySet):
    def promising(self):
        """Leads still worth a rep's time: new, being worked, or qualified but not converted."""
        return self.filter(status__in=Lead.PROMISING)

    def qualified_between(self, start: datetime.date | None, end: datetime.date | None):
        """Leads moved to Qualified between these days (local, both included; either may be
        open), whenever they came in: what the reports count as qualified in a period."""
        changes = LeadStatusChange.objects.filter(
            lead=OuterRef("pk"), to_status=Lead.Status.QUALIFIED
        )
        if start is not None:
            changes = changes.filter(changed_at__date__gte=start)
        if end is not None:
            changes = changes.filter(changed_at__date__lte=end)
        return self.filter(Exists(changes))


class Lead(Person):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        WORKING = "working", _("Working")
        QUALIFIED = "qualified", _("Qualified")
        DISQUALIFIED = "disqualified", _("Disqualified")
        CONVERTED = "converted", _("Converted")

    PROMISING = (Status.NEW, Status.WORKING, Status.QUALIFIED)

    # The lead's status history tells it, with the note that goes with each change; no page,
    # API or admin form changes it otherwise.
    audit_exclude = ("status",)

    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    website = models.URLField(
        _("website"), max_length=300, blank=True, validators=[website_validator]
    )
    source = optional_foreign_key(
        LeadSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="leads"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    disqualify_reason = optional_foreign_key(
        DisqualifyReason,
        verbose_name=_("disqualification reason"),
        on_delete=models.PROTECT,
        related_name="leads",
    )
    disqualify_note = models.TextField(_("disqualification note"), blank=True)

    objects = LiveManager.from_queryset(LeadQuerySet)()
    with_trash = models.Manager.from_queryset(LeadQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["email_normalized"], name="lead_email_idx"),
            models.Index(fields=["phone_normalized"], name="lead_phone_idx"),
            models.Index(fields=["status", "-created_at"], name="lead_status_created_idx"),
            models.Index(fields=["owner", "status"], name="lead_owner_status_idx"),
            # New leads by owner (and team, for unowned ones) in arrival order: My day counts
            # and picks them from the index alone.
            models.Index(
                fields=["owner", "team", "created_at", "id"],
                condition=Q(status="new") & LIVE,
                name="lead_new_owner_idx",
            ),
            models.Index(fields=["trash_batch"], condition=TRASHED, name="lead_trash_idx"),
        ]

    @property
    def is_converted(self) -> bool:
        """A converted lead is kept, read-only, as the record of where the business came from."""
        return self.status == self.Status.CONVERTED

    @property
    def can_start_working(self) -> bool:
        return self.status == self.Status.NEW

    @property
    def can_qualify(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.WORKING)

    @property
    def can_disqualify(self) -> bool:
        return self.status in self.PROMISING

    @property
    def can_reopen(self) -> bool:
        return self.status == self.Status.DISQUALIFIED

    @property
    def can_convert(self) -> bool:
        # Qualifying and converting is one screen, so any promising lead can be converted.
        return self.status in self.PROMISING

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
    changed_by = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("lead status change")
        verbose_name_plural = _("lead status changes")
        indexes = [
            models.Index(fields=["lead", "-changed_at"], name="lead_change_idx"),
            # The reports' "leads qualified in the period": a few thousand of millions.
            models.Index(fields=["to_status", "changed_at"], name="lead_change_status_at_idx"),
        ]

    def __str__(self) -> str:
        before = self.get_from_status_display() or "–"
        return f"{self.lead_id}: {before} → {self.get_to_status_display()}"


class LeadConversion(models.Model):
    """What a lead became. One per lead: the unique lead column is the backstop against
    converting the same lead twice (double click, two tabs, two users)."""

    lead = models.OneToOneField(Lead, on_delete=models.PROTECT, related_name="conversion")
    contact = models.ForeignKey(
        "crm.Contact", on_delete=models.PROTECT, related_name="lead_conversions"
    )
    company = optional_foreign_key(
        "crm.Company", on_delete=models.PROTECT, related_name="lead_conversions"
    )
    opportunity = optional_foreign_key("opportunities.Opportunity", related_name="lead_conversions")
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    converted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lead conversion")
        verbose_name_plural = _("lead conversions")
        # The reports' "leads converted in the period".
        indexes = [models.Index(fields=["converted_at"], name="lead_conversion_at_idx")]

    def __str__(self) -> str:
        return f"{self.lead} → {self.contact}"


class LeadImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An import belongs to whoever uploaded it; admins see every import.

        Only managers and admins import leads: for anyone else no import exists (404).
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self
        if not user.is_manager:
            return self.none()
        return self.filter(created_by=user)


class LeadImport(models.Model):
    """One uploaded CSV file on its way to becoming leads.

    The file's text is kept on the row, so that whichever app server or worker runs the import
    can read it. The worker writes its progress here and the page polls it.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Checking rows")
        SAVING = "saving", _("Saving leads")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.FAILED)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="lead_imports",
    )
    owner = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name=_("owner of the new leads"), related_name="+"
    )
    team = optional_foreign_key("crm.Team", verbose_name=_("team"))
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.TextField(_("content"))
    headers = models.JSONField(_("columns"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    skip_duplicates = models.BooleanField(_("skip duplicates"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows checked"), default=0)
    imported = models.PositiveIntegerField(_("leads imported"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    rejected_csv = models.TextField(_("rejected rows"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = LeadImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lead import")
        verbose_name_plural = _("lead imports")

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("leads:import_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.processed * 100 // self.total)


class WebSubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Held web-form submissions are reviewed by the managers of the team they would have
        gone to, and by admins; for anyone else none exists (404)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self
        if not user.is_manager:
            return self.none()
        return self.filter(team__in=user.managed_teams.order_by().values("pk"))

    def held(self):
        return self.filter(status=WebSubmission.Status.HELD)


class WebSubmission(models.Model):
    """A message from the public form that tripped a spam check. It is kept, not turned into a
    lead, until a manager releases it (it becomes a lead as any other web-form message does) or
    purges it: a person whose browser filled the form in at once must not lose their enquiry."""

    class Reason(models.TextChoices):
        HONEYPOT = "honeypot", _("Hidden field filled in")
        NO_START = "no_start", _("Start time missing")
        FORGED_START = "forged_start", _("Start time forged or expired")
        TOO_FAST = "too_fast", _("Sent too fast")
        OTHER_CLIENT = "other_client", _("Form opened from another address")
        REUSED_START = "reused_start", _("Form sent again with the same start time")

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        RELEASED = "released", _("Released")

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    website = models.CharField(_("hidden field"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    address = models.CharField(_("address"), max_length=100, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    team = optional_foreign_key("crm.Team", verbose_name=_("team"), related_name="+")
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.HELD
    )
    reviewed_by = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # One lead per submission: the backstop should two releases ever get past the row lock.
    lead = models.OneToOneField(
        Lead,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="web_submission",
    )

    objects = WebSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("held web submission")
        verbose_name_plural = _("held web submissions")
        indexes = [
            models.Index(fields=["status", "team", "-received_at"], name="web_submission_held_idx")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD
