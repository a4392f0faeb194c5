"""Quotas: what a rep or a team is to win in a month or a quarter, and how far along it they
should be on a given day (the *pace*).

A quota is for one rep or for one team, never both: a team's quota is set on its own, not
added up from its reps'. Its amount is in the base currency; a number of deals won and of
activities done may be asked for beside it.

**Pace** is the share of the period gone by on a day: the days from the period's first day to
that day, that day included, divided by the days in the period, in the site's time zone
(``TIME_ZONE``: "today" is ``timezone.localdate()``). Before the period it is 0, from its last
day on it is 1. On 10 June a June quota's pace is 10 ÷ 30: a third of it should be won.

Attainment is what was won ÷ the quota; the gap is what was won less what the pace asks for by
that day (quota × pace): below zero, behind.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from crm.models import Team, User
from infra.fields import optional_foreign_key
from infra.periods import month_start, quarter_start

CENTS = Decimal("0.01")
ONE_DAY = datetime.timedelta(days=1)


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


def period_start(period: str, day: datetime.date) -> datetime.date:
    """The first day of the month or quarter holding ``day``."""
    return quarter_start(day) if period == Period.QUARTER else month_start(day)


def period_end(period: str, start: datetime.date) -> datetime.date:
    """The last day of the month or quarter starting on ``start``."""
    return (
        quarter_start(start, 1) if period == Period.QUARTER else month_start(start, 1)
    ) - ONE_DAY


def period_of(start: datetime.date, end: datetime.date) -> str | None:
    """Which period runs from ``start`` to ``end`` (both included): a month, a quarter, or
    none (a year, a few weeks)."""
    for period in (Period.MONTH, Period.QUARTER):
        if period_start(period, start) == start and period_end(period, start) == end:
            return period
    return None


def elapsed_days(start: datetime.date, end: datetime.date, today: datetime.date) -> int:
    """Days of the period from ``start`` to ``end`` gone by on ``today``, today included."""
    return min(max((today - start).days + 1, 0), (end - start).days + 1)


def pace(start: datetime.date, end: datetime.date, today: datetime.date) -> float:
    """Where attainment should be on ``today``: elapsed days ÷ days in the period (see the
    module's docstring)."""
    return elapsed_days(start, end, today) / ((end - start).days + 1)


class QuotaQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who sees which quota: an admin every one; a manager those of the teams they run and
        of those teams' members, and their own; a rep only their own (not their team's: a
        rep's figures are their own, set beside a team's quota they would mislead)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self
        if user.is_manager:
            teams = Team.objects.filter(manager=user).values("pk")
            return self.filter(
                Q(owner=user) | Q(owner__team__in=teams) | Q(owner__isnull=True, team__in=teams)
            )
        return self.filter(owner=user)

    def for_period(self, start: datetime.date, end: datetime.date):
        """The quotas of the month or quarter running from ``start`` to ``end``; none for any
        other span of days."""
        period = period_of(start, end)
        if period is None:
            return self.none()
        return self.filter(period=period, start=start)

    def covering(self, day: datetime.date):
        """The quotas of the month and of the quarter holding ``day``."""
        return self.filter(
            Q(period=Period.MONTH, start=month_start(day))
            | Q(period=Period.QUARTER, start=quarter_start(day))
        )


def may_set_for(user: User) -> tuple[models.QuerySet, models.QuerySet]:
    """(reps, teams) whose quotas ``user`` may set: an admin every team and everyone active in
    one; a manager the teams they run and their active members; anyone else nobody."""
    teams = Team.objects.run_by(user)
    reps = User.objects.active().filter(team__in=teams.values("pk"))
    return reps, teams


class Quota(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quotas",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quotas",
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    start = models.DateField(_("first day"))
    amount = models.DecimalField(
        _("amount to win"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("In the base currency."),
    )
    deals = models.PositiveIntegerField(_("deals to win"), null=True, blank=True)
    activities = models.PositiveIntegerField(_("activities to do"), null=True, blank=True)
    set_by = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuotaQuerySet.as_manager()

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["-start", "period", "team__name", "owner__last_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True) ^ Q(team__isnull=True),
                name="quota_rep_or_team",
            ),
            models.UniqueConstraint(
                fields=["owner", "period", "start"],
                condition=Q(owner__isnull=False),
                name="one_quota_per_rep_and_period",
            ),
            models.UniqueConstraint(
                fields=["team", "period", "start"],
                condition=Q(owner__isnull=True),
                name="one_quota_per_team_and_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner or self.team}, {self.period_label}"

    @property
    def end(self) -> datetime.date:
        return period_end(self.period, self.start)

    @property
    def period_label(self) -> str:
        return period_label(self.period, self.start)

    def clean(self):
        if self.owner_id is None and self.team_id is None:
            raise ValidationError({"owner": _("Choose a rep or a team.")})
        if self.owner_id is not None and self.team_id is not None:
            raise ValidationError({"team": _("Choose a rep or a team, not both.")})
        if self.period and self.start and period_start(self.period, self.start) != self.start:
            raise ValidationError(
                {"start": _("A quota starts on the first day of its month or quarter.")}
            )

    def progress(
        self, *, today: datetime.date, won_amount: Decimal, won_count: int, activities_done: int
    ) -> dict:
        """How the quota stands on ``today`` given what was won and done in its period.

        - quota: the amount to win; attainment: won ÷ quota (None for a quota of 0).
        - pace: elapsed days ÷ days in the period (``pace``).
        - expected: quota × pace, to the cent; gap: won − expected (below 0: behind).
        - deal_quota / deal_attainment, activity_quota / activity_attainment: the same for the
          number of deals won and of activities done, when the quota asks for them.
        """
        days = (self.end - self.start).days + 1
        elapsed = elapsed_days(self.start, self.end, today)
        expected = (self.amount * elapsed / days).quantize(CENTS, ROUND_HALF_UP)
        return {
            "quota": self.amount,
            "attainment": float(won_amount / self.amount) if self.amount else None,
            "pace": elapsed / days,
            "expected": expected,
            "gap": won_amount - expected,
            "deal_quota": self.deals,
            "deal_attainment": won_count / self.deals if self.deals else None,
            "activity_quota": self.activities,
            "activity_attainment": activities_done / self.activities if self.activities else None,
        }


NO_QUOTA = dict.fromkeys(
    [
        "quota",
        "attainment",
        "pace",
        "expected",
        "gap",
        "deal_quota",
        "deal_attainment",
        "activity_quota",
        "activity_attainment",
    ]
)
"""A row's figures when no quota is set for it."""


def period_label(period: str, start: datetime.date) -> str:
    """ "December 2026", "Q4 2026"."""
    if period == Period.QUARTER:
        return _("Q%(quarter)s %(year)s") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    return date_format(start, "YEAR_MONTH_FORMAT")
