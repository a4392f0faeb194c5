from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models.companies import OwnedRecord
from crm.models.scoping import OwnedQuerySet

# The records an activity can be about. Exactly one of them is set (a database constraint).
SUBJECT_FIELDS = ("lead", "opportunity", "contact", "company")


def _exactly_one_subject() -> Q:
    condition = Q()
    for chosen in SUBJECT_FIELDS:
        combination = Q(**{f"{chosen}__isnull": False})
        for other in SUBJECT_FIELDS:
            if other != chosen:
                combination &= Q(**{f"{other}__isnull": True})
        condition |= combination
    return condition


class ActivityQuerySet(OwnedQuerySet):
    pass


class Activity(OwnedRecord):
    """A call, meeting, email or task (done or to do), or a plain note, about one record."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("Email")
        TASK = "task", _("Task")
        NOTE = "note", _("Note")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TASK)
    subject = models.CharField(_("subject"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_time = models.TimeField(_("due time"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    contact = models.ForeignKey(
        "crm.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )
    company = models.ForeignKey(
        "crm.Company", on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "due_time", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=_exactly_one_subject(), name="activity_one_subject")
        ]
        indexes = [
            models.Index(fields=["owner", "done_at", "due_date"], name="activity_owner_due_idx"),
            models.Index(fields=["opportunity", "done_at", "due_date"], name="activity_opp_idx"),
            models.Index(fields=["lead", "created_at"], name="activity_lead_idx"),
        ]

    def __str__(self) -> str:
        return self.subject
