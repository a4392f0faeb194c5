"""The filters every report shares: period, team, rep and pipeline, always within what the user
may see.

Scoping is never decided here: every queryset starts from ``visible_to(user)`` (activities from
``owned_by_people_of(user)``, the same rule by owner), so an admin's reports cover everyone, a
manager's the teams they run (and their own records), and a rep's only their own numbers. The
team and rep choices offered are cut to the same scope, so asking for another team's figures is
a form error, not an empty (or leaking) report.

A plain form rather than a django-filter FilterSet: the period applies to a different date in
each report (created, closed, changed), so it is turned into a date range, not a lookup.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from crm.models import Team, User
from infra.periods import month_start, quarter_start
from infra.rendering import DatePicker, QuickSelect
from leads.models import Lead
from opportunities.models import Opportunity, OpportunityChange, Pipeline


class PeriodChoice(models.TextChoices):
    THIS_MONTH = "this_month", _("This month")
    LAST_MONTH = "last_month", _("Last month")
    THIS_QUARTER = "this_quarter", _("This quarter")
    LAST_QUARTER = "last_quarter", _("Last quarter")
    THIS_YEAR = "this_year", _("This year")
    LAST_YEAR = "last_year", _("Last year")
    LAST_12_MONTHS = "last_12_months", _("Last 12 months")
    CUSTOM = "custom", _("Custom dates")


def period_range(choice: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day (both included) of a named period around ``today``."""
    one_day = datetime.timedelta(days=1)
    match choice:
        case PeriodChoice.LAST_MONTH:
            return month_start(today, -1), month_start(today) - one_day
        case PeriodChoice.THIS_QUARTER:
            return quarter_start(today), quarter_start(today, 1) - one_day
        case PeriodChoice.LAST_QUARTER:
            return quarter_start(today, -1), quarter_start(today) - one_day
        case PeriodChoice.THIS_YEAR:
            return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
        case PeriodChoice.LAST_YEAR:
            return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
        case PeriodChoice.LAST_12_MONTHS:
            return month_start(today, -11), month_start(today, 1) - one_day
        case _:
            return month_start(today), month_start(today, 1) - one_day


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class ReportScope:
    """Who is looking, at which period, narrowed to which team, rep and pipeline."""

    user: User
    start: datetime.date
    end: datetime.date
    team: Team | None = None
    rep: User | None = None
    pipeline: Pipeline | None = None
    today: datetime.date | None = None
    moment: datetime.datetime | None = None

    @property
    def now(self) -> datetime.datetime:
        """The moment "now" for figures measured up to now (a fixed one makes them testable)."""
        return self.moment or timezone.now()

    def on(self, date_field: str) -> Q:
        """Rows whose date ``date_field`` falls in the period."""
        return Q(**{f"{date_field}__gte": self.start, f"{date_field}__lte": self.end})

    def during(self, datetime_field: str) -> Q:
        """Rows whose timestamp ``datetime_field`` falls in the period (local days)."""
        return Q(
            **{
                f"{datetime_field}__gte": start_of_day(self.start),
                f"{datetime_field}__lt": start_of_day(self.end + datetime.timedelta(days=1)),
            }
        )

    def cache_key(self) -> tuple | None:
        """What the figures depend on, for keeping them in the cache; None when they must not
        be kept (a fixed moment is a test's)."""
        if self.moment is not None:
            return None
        user = self.user
        if user.is_admin:
            who = "all"
        elif user.is_manager:
            who = f"manager-{user.pk}-{user.team_id}"
        else:
            who = f"rep-{user.pk}-{user.team_id}"
        return (
            who,
            self.start,
            self.end,
            self.team and self.team.pk,
            self.rep and self.rep.pk,
            self.pipeline and self.pipeline.pk,
            self.today,
        )

    def _owned(self, queryset):
        if self.team is not None:
            # As the team rows count them (``OwnedQuerySet.of_team``).
            queryset = queryset.of_team(self.team)
        if self.rep is not None:
            queryset = queryset.filter(owner=self.rep)
        return queryset

    def opportunities(self):
        queryset = self._owned(Opportunity.objects.visible_to(self.user))
        if self.pipeline is not None:
            queryset = queryset.filter(pipeline=self.pipeline)
        return queryset

    def changes(self):
        """History rows of the deals in scope."""
        return OpportunityChange.objects.filter(opportunity__in=self.opportunities().values("pk"))

    def leads(self):
        return self._owned(Lead.objects.visible_to(self.user))

    def activities(self):
        """The work of the people in scope (see ``ActivityQuerySet.owned_by_people_of``)."""
        return self._owned(Activity.objects.owned_by_people_of(self.user))

    def reps(self, *, also=()):
        """The people who get a row of their own: the active members of the teams in scope,
        those teams' managers, whose own deals and leads count too (a manager need not belong
        to a team), and ``also`` (the owners of records in scope); a rep: only themselves."""
        if self.rep is not None:
            return User.objects.filter(pk=self.rep.pk)
        teams = self.teams().values("pk")
        people = Q(team__in=teams) | Q(managed_teams__in=teams)
        return User.objects.filter(Q(people, is_active=True) | Q(pk__in=also)).distinct()

    def teams(self):
        teams = teams_visible_to(self.user)
        return teams.filter(pk=self.team.pk) if self.team is not None else teams


def teams_visible_to(user: User):
    if user.is_admin:
        return Team.objects.all()
    if user.is_manager:
        return user.managed_teams.all()
    return Team.objects.filter(pk=user.team_id)


def reps_visible_to(user: User):
    """Admins: everyone in a team; managers: their teams' members and themselves; reps: self."""
    if user.is_admin:
        return User.objects.filter(Q(team__isnull=False) | Q(role=User.Role.REP))
    if user.is_manager:
        return User.objects.filter(Q(team__in=user.managed_teams.values("pk")) | Q(pk=user.pk))
    return User.objects.filter(pk=user.pk)


# Every report opens on this period until the user picks another, which then follows them
# from report to report (``remember_period``).
DEFAULT_PERIOD = PeriodChoice.THIS_MONTH
SESSION_PERIOD = "reports_period"


def remember_period(form: "ReportFilterForm", session) -> None:
    """Keep the period the user just picked for the next report they open without one."""
    chosen = form.chosen_period()
    if chosen is not None and session.get(SESSION_PERIOD) != chosen:
        session[SESSION_PERIOD] = chosen


def with_remembered_period(query: QueryDict, session) -> QueryDict:
    """The filters asked for; with no period among them, the one the user last picked (a period
    in the query always wins)."""
    remembered = session.get(SESSION_PERIOD)
    if "period" in query or not remembered:
        return query
    query = query.copy()
    query.update(remembered)
    return query


LAST_DAY = MaxValueValidator(
    datetime.date.max - datetime.timedelta(days=1),
    message=_("Choose a day before the last one of the calendar."),
)
# The first day's midnight, east of UTC, is before the first instant a datetime can hold.
FIRST_DAY = MinValueValidator(
    datetime.date.min + datetime.timedelta(days=1),
    message=_("Choose a day after the first one of the calendar."),
)


def _narrowing(label, queryset, everything) -> forms.ModelChoiceField:
    """An optional choice that narrows the report; ``everything`` is its empty choice."""
    return forms.ModelChoiceField(
        label=label, queryset=queryset, required=False, empty_label=everything, widget=QuickSelect
    )


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=PeriodChoice.choices, required=False, widget=QuickSelect
    )
    # The day after the last one bounds the period: the calendar's very last day has none.
    start = forms.DateField(
        label=_("From"), required=False, widget=DatePicker(), validators=[FIRST_DAY, LAST_DAY]
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=DatePicker(), validators=[FIRST_DAY, LAST_DAY]
    )
    # The team and rep choices are the user's own (``__init__``).
    team = _narrowing(_("Team"), Team.objects.none(), _("All teams"))
    rep = _narrowing(_("Rep"), User.objects.none(), _("Everyone"))
    pipeline = _narrowing(_("Pipeline"), Pipeline.objects.all(), _("All pipelines"))

    default_period = DEFAULT_PERIOD

    def __init__(self, data=None, *, user: User):
        super().__init__(data or None)
        self.user = user
        self.fields["period"].initial = self.default_period
        self.fields["team"].queryset = teams_visible_to(user)
        self.fields["rep"].queryset = reps_visible_to(user).filter(is_active=True)
        if not user.is_admin and not user.is_manager:
            # A rep's reports are their own numbers: there is nobody else to pick.
            del self.fields["team"]
            del self.fields["rep"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == PeriodChoice.CUSTOM:
            start, end = cleaned.get("start"), cleaned.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", _("Give the first day of the period."))
            if end is None and "end" not in self.errors:
                self.add_error("end", _("Give the last day of the period."))
            if start and end and end < start:
                self.add_error("end", _("The period cannot end before it starts."))
        return cleaned

    def chosen_period(self) -> dict | None:
        """The period the query asks for, as kept in the session (``remember_period``); None
        when it asks for none or for one with an error."""
        if not self.is_bound or "period" not in self.data or not self.is_valid():
            return None
        chosen = {"period": self.cleaned_data["period"] or self.default_period}
        if chosen["period"] == PeriodChoice.CUSTOM:
            chosen |= {name: self.cleaned_data[name].isoformat() for name in ("start", "end")}
        return chosen

    def query(self) -> str:
        """The filters in force, as a query string for links to the other reports: they open
        on the same period (spelled out, default or not), team, rep and pipeline."""
        data = {}
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
        query = QueryDict(mutable=True)
        query["period"] = data.get("period") or self.default_period
        if query["period"] == PeriodChoice.CUSTOM:
            query["start"], query["end"] = data["start"].isoformat(), data["end"].isoformat()
        for name in ("team", "rep", "pipeline"):
            if data.get(name) is not None:
                query[name] = data[name].pk
        return query.urlencode()

    def scope(self, *, today: datetime.date | None = None) -> ReportScope:
        """The scope asked for; a field with an error falls back to its default, so a bad value
        shows its error beside the field while the report still renders."""
        today = today or timezone.localdate()
        data = {}
        if self.is_bound:
            self.is_valid()  # errors show beside their fields; the valid fields still apply
            data = self.cleaned_data
        period = data.get("period") or self.default_period
        if period == PeriodChoice.CUSTOM and not self.errors and data.get("start"):
            start, end = data["start"], data["end"]
        else:
            start, end = period_range(
                self.default_period if period == PeriodChoice.CUSTOM else period, today
            )
        rep = data.get("rep")
        if not self.user.is_admin and not self.user.is_manager:
            rep = self.user
        return ReportScope(
            user=self.user,
            start=start,
            end=end,
            team=data.get("team"),
            rep=rep,
            pipeline=data.get("pipeline"),
            today=today,
        )
