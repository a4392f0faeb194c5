import datetime
import hashlib

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.tracking import Audited
from crm.models.companies import OwnedRecord
from crm.models.scoping import OwnedQuerySet, seen_by
from crm.models.trash import LIVE, TRASHED, LiveManager
from infra.fields import optional_foreign_key

# How far ahead the week's activities look, from tomorrow: My day's "Next 7 days", and the
# activity list's filter that shows them all.
UPCOMING_DAYS = 7

# How long a timed activity lasts in calendars when its duration is not given, in minutes.
DEFAULT_DURATION = 30

# How long before its start an activity can remind its owner, in minutes.
REMIND_CHOICES = [
    (5, _("5 minutes before")),
    (15, _("15 minutes before")),
    (30, _("30 minutes before")),
    (60, _("1 hour before")),
    (1440, _("1 day before")),
]

# The records an activity can be about. Exactly one of them is set (a database constraint).
SUBJECT_FIELDS = ("lead", "opportunity", "contact", "company")
# Where each subject's model lives, for lookups that must not import it at module level.
SUBJECT_MODELS = {
    "lead": "leads.Lead",
    "opportunity": "opportunities.Opportunity",
    "contact": "crm.Contact",
    "company": "crm.Company",
}


def subject_field(record) -> str:
    """The Activity foreign key that points at ``record``'s model ("lead", "opportunity"...)."""
    name = record._meta.model_name
    if name not in SUBJECT_FIELDS:
        raise ValueError(f"Activities cannot be about a {name}.")
    return name


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Days(Func):
    """A whole number of days as a duration, from a column: an interval on PostgreSQL, and
    microseconds on SQLite (how Django stores durations there)."""

    output_field = models.DurationField()

    def as_sql(self, compiler, connection, **extra):
        extra["template"] = "(%(expressions)s * 86400000000)"
        return super().as_sql(compiler, connection, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        extra["template"] = "make_interval(days => %(expressions)s)"
        return super().as_sql(compiler, connection, **extra)


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
    def visible_to(self, user, *, by_row: bool = False):
        """An activity is seen by whoever sees the record it is about, and by its owner.

        A manager's note on a rep's deal belongs to the deal's history: the rep sees it too.

        ``by_row`` tests the same rule on each activity read, through its record's join
        (``seen_by``), instead of first gathering every record the user sees: for a page read
        along an index and cut short by a LIMIT (the API's list, newest first), where
        gathering a manager's fifty thousand leads cost more than the page.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self
        seen = Q(owner=user)
        for field, label in SUBJECT_MODELS.items():
            if by_row:
                seen |= seen_by(user, through=field)
            else:
                visible = apps.get_model(label).objects.visible_to(user).values("pk")
                seen |= Q(**{f"{field}__in": visible})
        return self.filter(seen)

    def owned_by_people_of(self, user):
        """The activities (done or not) of the people ``user`` answers for, whatever record
        they are about: an admin's, everyone's; a manager's, their own and their teams'
        members' (and their teams' unowned ones); a rep's, their own (and their team's unowned
        ones). The rule of ``OwnedQuerySet.visible_to``, by owner: what the reports count as
        each person's work.

        Counting them by the records one sees instead would drop a rep's calls about a
        record since handed to another team, and costs a subquery per kind of record.
        """
        return super().visible_to(user)

    def pending(self):
        """Activities still to do: not done, and not notes (a note is never "to do")."""
        return self.filter(done_at__isnull=True).exclude(kind=Activity.Kind.NOTE)

    def done(self):
        return self.filter(done_at__isnull=False)

    def overdue(self, today: datetime.date | None = None):
        """Pending activities due before today."""
        return self.pending().filter(due_date__lt=today or timezone.localdate())

    def upcoming(self, today: datetime.date | None = None):
        """Pending activities due today or later: the next steps."""
        return self.pending().filter(due_date__gte=today or timezone.localdate())

    def due(self, when: str, today: datetime.date | None = None):
        """Pending activities due ``when``: "overdue" (before today), "today", or "week" (after
        today, up to ``UPCOMING_DAYS`` ahead): My day's sections."""
        today = today or timezone.localdate()
        window = {
            "overdue": Q(due_date__lt=today),
            "today": Q(due_date=today),
            "week": Q(due_date__gt=today, due_date__lte=today + datetime.timedelta(UPCOMING_DAYS)),
        }
        return self.pending().filter(window[when])

    def awaiting_reminder(self, now: datetime.datetime | None = None):
        """Pending activities with a reminder not yet sent that may be due by ``now``: those
        starting up to a day after it (the longest reminder), to be told apart by
        ``Activity.remind_at``."""
        now = now or timezone.now()
        latest = timezone.localtime(now).date() + datetime.timedelta(days=1)
        return self.pending().filter(
            remind_minutes_before__isnull=False,
            reminded_at__isnull=True,
            due_date__isnull=False,
            due_time__isnull=False,
            due_date__lte=latest,
        )

    def about(self, record):
        return self.filter(**{subject_field(record): record})

    def with_subjects(self):
        return self.select_related("owner", *SUBJECT_FIELDS)


class Activity(Audited, OwnedRecord):
    """A call, meeting, email or task (done or to do), or a plain note, about one record."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("Email")
        TASK = "task", _("Task")
        NOTE = "note", _("Note")

    # Completion (when, by whom, its outcome) shows as the done activity itself; a reminder's
    # sending is the system's.
    audit_exclude = ("done_at", "done_by", "outcome", "reminded_at")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TASK)
    subject = models.CharField(_("subject"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_time = models.TimeField(_("due time"), null=True, blank=True)
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        help_text=_("From its time; 30 minutes when left empty."),
    )
    remind_minutes_before = models.PositiveSmallIntegerField(
        _("remind me"), choices=REMIND_CHOICES, null=True, blank=True
    )
    # When its reminder was sent (claimed): set once, so that it is sent once.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    lead = optional_foreign_key("leads.Lead", on_delete=models.CASCADE, related_name="activities")
    opportunity = optional_foreign_key(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="activities"
    )
    contact = optional_foreign_key(
        "crm.Contact", on_delete=models.CASCADE, related_name="activities"
    )
    company = optional_foreign_key(
        "crm.Company", on_delete=models.CASCADE, related_name="activities"
    )

    objects = LiveManager.from_queryset(ActivityQuerySet)()
    with_trash = models.Manager.from_queryset(ActivityQuerySet)()

    class Meta:
        # The table the model had when it lived in the core app (see migrations/0001).
        db_table = "crm_activity"
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
            # The API's list, newest first, resumed from a cursor (created_at and id).
            models.Index(fields=["created_at", "id"], name="activity_created_id_idx"),
            # Pending activities (not done, not notes): an owner's in due order, for My day;
            # a deal's, for its next step. Each reads only the index.
            models.Index(
                fields=["owner", "due_date", "due_time", "id"],
                condition=Q(done_at__isnull=True) & ~Q(kind="note") & LIVE,
                name="activity_pending_owner_idx",
            ),
            models.Index(
                fields=["opportunity", "due_date", "due_time", "id"],
                condition=Q(done_at__isnull=True, opportunity__isnull=False)
                & ~Q(kind="note")
                & LIVE,
                name="activity_pending_opp_idx",
            ),
            models.Index(fields=["trash_batch"], condition=TRASHED, name="activity_trash_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def record(self):
        """The lead, opportunity, contact or company this activity is about."""
        for field in SUBJECT_FIELDS:
            if getattr(self, f"{field}_id") is not None:
                return getattr(self, field)
        return None

    @property
    def is_note(self) -> bool:
        return self.kind == self.Kind.NOTE

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_pending(self) -> bool:
        return not self.is_done and not self.is_note

    @property
    def minutes(self) -> int:
        """How long it lasts in a calendar, once it has a time."""
        return self.duration or DEFAULT_DURATION

    @property
    def starts_at(self) -> datetime.datetime | None:
        """When it starts, in the app's time zone; None without a due time."""
        if self.due_date is None or self.due_time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.due_date, self.due_time))

    @property
    def remind_at(self) -> datetime.datetime | None:
        starts_at = self.starts_at
        if starts_at is None or self.remind_minutes_before is None:
            return None
        return starts_at - datetime.timedelta(minutes=self.remind_minutes_before)

    def needs_next_step_after(self, today: datetime.date | None = None) -> bool:
        """Completing this would leave an open deal without a next step (no other pending
        activity due today or later)."""
        opportunity = self.opportunity
        if opportunity is None or not opportunity.is_open:
            return False
        others = Activity.objects.about(opportunity).upcoming(today).exclude(pk=self.pk)
        return not others.exists()

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_pending and self.due_date is not None and self.due_date < today


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def for_token(self, token: str):
        """The active feed whose address carries ``token``, with its user (none for anything
        else)."""
        return self.active().select_related("user").filter(hashed=hash_feed_token(token))


class CalendarFeed(models.Model):
    """A user's private calendar address (``/calendar/<token>.ics``), which calendar apps
    subscribe to without logging in. Only a SHA-256 of the token is stored, as for API tokens:
    the address is shown once, when it is made; a new address revokes the old one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    hashed = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


# Badges. Each rule in one sentence, computed by the database for a whole queryset:
# - overdue: the record has a pending activity whose due date is before today;
# - no next step: an open deal has no pending activity due today or later;
# - stale: an open deal's last done activity (or, with none, its creation) is more than its
#   stage's ``stale_after_days`` days before today.


def _flag(condition: Q) -> Case:
    """A true/false column (never NULL) from a condition on annotations."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=models.BooleanField()
    )


def with_activity_badges(queryset, *, today: datetime.date | None = None):
    """Annotate a Lead, Opportunity, Contact or Company queryset with what its badges need.

    Adds, without a query per row:
    ``next_activity_id``, ``next_activity_date``, ``next_activity_subject``,
    ``next_activity_kind`` (the earliest pending dated activity, overdue ones included),
    ``next_step_id``, ``has_overdue``, ``has_next_step``, ``last_activity_at``; and on
    opportunities also ``needs_next_step`` and ``is_stale``.
    """
    today = today or timezone.localdate()
    field = subject_field(queryset.model)
    mine = Activity.objects.filter(**{field: OuterRef("pk")})
    pending = mine.pending().filter(due_date__isnull=False)
    first_pending = pending.order_by("due_date", F("due_time").asc(nulls_last=True), "pk")
    last_done = mine.done().order_by("-done_at").values("done_at")[:1]
    # The flags are read from LIMIT 1 subqueries rather than EXISTS: PostgreSQL turns an
    # EXISTS in the select list into a hash of every pending activity (a scan of the whole
    # table per flag, 1.3 s on a board at a million activities) when it expects many rows,
    # even under a LIMIT; a LIMIT 1 subquery is always one index probe per shown row.
    # The earliest pending activity is overdue exactly when the record has an overdue one.
    next_step = Subquery(pending.filter(due_date__gte=today).order_by().values("pk")[:1])
    queryset = queryset.annotate(
        next_activity_id=Subquery(first_pending.values("pk")[:1]),
        next_activity_date=Subquery(first_pending.values("due_date")[:1]),
        next_activity_subject=Subquery(first_pending.values("subject")[:1]),
        next_activity_kind=Subquery(first_pending.values("kind")[:1]),
        next_step_id=next_step,
        last_activity_at=Subquery(last_done),
    ).annotate(
        has_overdue=_flag(Q(next_activity_date__lt=today)),
        has_next_step=_flag(Q(next_step_id__isnull=False)),
    )
    if field != "opportunity":
        return queryset
    is_open = Q(status="open")
    touched_at = Coalesce(F("last_activity_at"), F("created_at"))
    allowed = Days(F("stage__stale_after_days"))
    return queryset.annotate(
        # An overdue step is still a step, late: such a deal is overdue, not without one.
        needs_next_step=ExpressionWrapper(
            is_open & Q(has_next_step=False, has_overdue=False),
            output_field=models.BooleanField(),
        ),
        stale_at=ExpressionWrapper(touched_at + allowed, output_field=models.DateTimeField()),
        is_stale=ExpressionWrapper(
            is_open & Q(stale_at__lt=start_of_day(today)), output_field=models.BooleanField()
        ),
    )
