"""One function per report. Every figure is computed by the database, in a fixed number of
queries whatever the number of deals; Python only merges rows that share a key.

Money is always in the base currency (see ``currency``): a deal without a known rate is left out of
the amounts and counted in the ``unconverted`` figure beside them.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from crm.models.scoping import InSubquery
from infra.expressions import DaysBetween, ratio
from infra.periods import month_start, quarter_start
from leads.models import Lead, LeadConversion, LeadSource, LeadStatusChange
from opportunities.models import (
    ForecastCategory,
    Opportunity,
    OpportunityChange,
    close_date_pushes,
    effective_forecast_category,
)
from reports.currency import BASE_AMOUNT, UNCONVERTED, with_base_amounts
from reports.filters import ReportScope
from reports.quotas import with_quotas

OPEN = Q(status=Opportunity.Status.OPEN)
WON = Q(status=Opportunity.Status.WON)
LOST = Q(status=Opportunity.Status.LOST)
ZERO = Value(0, output_field=BASE_AMOUNT)
CENTS = Decimal("0.01")


def money(expression, **filters):
    """Sum of a base-currency amount, 0 rather than NULL when nothing matches."""
    return Coalesce(Sum(expression, **filters), ZERO)


def pending_next_step(today: datetime.date):
    """True when an open deal has a next step: a dated activity still to do (not done, not a
    note), overdue or not. The same rule as the deal badges: an overdue step is late, not
    missing; an undated task is not a step."""
    return Exists(
        Activity.objects.filter(
            opportunity=OuterRef("pk"), done_at__isnull=True, due_date__isnull=False
        ).exclude(kind=Activity.Kind.NOTE)
    )


# --- Pipeline ---------------------------------------------------------------------------------


def entered_current_stage():
    """When the deal last entered the stage it is in now (its creation when history is missing)."""
    entered = (
        OpportunityChange.objects.filter(
            opportunity=OuterRef("pk"),
            to_stage=OuterRef("stage"),
            field__in=[OpportunityChange.Field.CREATED, OpportunityChange.Field.STAGE],
        )
        .order_by("-changed_at", "-pk")
        .values("changed_at")[:1]
    )
    return Coalesce(Subquery(entered), F("created_at"))


def _pipeline_figures() -> dict:
    return {
        "count": Count("pk"),
        "amount": money("base_amount"),
        "weighted": money("base_weighted"),
        "unconverted": Count("pk", filter=UNCONVERTED),
    }


def pipeline_totals(scope: ReportScope) -> dict:
    """The pipeline report's totals row: all open deals in scope (figures as below)."""
    return with_base_amounts(scope.opportunities().open()).aggregate(**_pipeline_figures())


def pipeline_report(scope: ReportScope) -> dict:
    """Open deals by stage, as they stand now (the period does not apply).

    - count: open deals in the stage.
    - amount: the sum of their amounts in the base currency.
    - weighted: the sum of amount × the deal's probability, in the base currency.
    - avg_days: the average number of days the deals have been in the stage since they last
      entered it.
    - unconverted: deals whose currency has no rate on their expected close date (left out of
      the amounts).
    """
    deals = with_base_amounts(scope.opportunities().open()).annotate(
        entered_stage_at=entered_current_stage()
    )
    now = Value(scope.now)
    rows = list(
        deals.values("stage", "stage__name", "pipeline__name")
        .annotate(**_pipeline_figures(), avg_days=Avg(DaysBetween(now, F("entered_stage_at"))))
        .order_by("pipeline__order", "pipeline__name", "stage__order", "stage")
    )
    return {"rows": rows, "totals": pipeline_totals(scope)}


# --- Forecast ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastPeriod:
    key: str
    label: str
    start: datetime.date
    end: datetime.date


def forecast_periods(today: datetime.date) -> list[ForecastPeriod]:
    one_day = datetime.timedelta(days=1)
    return [
        ForecastPeriod(
            "this_month", _("This month"), month_start(today), month_start(today, 1) - one_day
        ),
        ForecastPeriod(
            "next_month",
            _("Next month"),
            month_start(today, 1),
            month_start(today, 2) - one_day,
        ),
        ForecastPeriod(
            "this_quarter",
            _("This quarter"),
            quarter_start(today),
            quarter_start(today, 1) - one_day,
        ),
        ForecastPeriod(
            "next_quarter",
            _("Next quarter"),
            quarter_start(today, 1),
            quarter_start(today, 2) - one_day,
        ),
    ]


def forecast_report(scope: ReportScope) -> dict:
    """For this and next month and quarter; lost deals never count, whatever their dates.

    - won: deals won with a closed date in the period (closed won so far).
    - commit / best_case / pipeline: open deals expected to close in the period whose effective
      forecast category (the deal's override, else its stage's) is that category.
    - weighted: open deals expected to close in the period (omitted ones excepted), amount ×
      probability.
    - expected: won + commit, what the team stands behind.
    - upside: won + commit + best case.
    - open_deals: the number of open deals expected to close in the period.
    - unconverted: deals counted in the period whose currency has no rate (left out of the
      amounts).
    """
    periods = forecast_periods(scope.today)
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    # Only the deals that can count somewhere: not every open deal and past win of the scope.
    deals = (
        with_base_amounts(scope.opportunities())
        .filter(
            WON & Q(closed_date__gte=first, closed_date__lte=last)
            | OPEN & Q(expected_close_date__gte=first, expected_close_date__lte=last)
        )
        .annotate(category=effective_forecast_category())
    )
    figures = {}
    for period in periods:
        won = WON & Q(closed_date__gte=period.start, closed_date__lte=period.end)
        expected = (
            OPEN
            & Q(expected_close_date__gte=period.start, expected_close_date__lte=period.end)
            & ~Q(category=ForecastCategory.OMITTED)
        )
        figures |= {
            f"{period.key}__won": money("base_amount", filter=won),
            f"{period.key}__commit": money(
                "base_amount", filter=expected & Q(category=ForecastCategory.COMMIT)
            ),
            f"{period.key}__best_case": money(
                "base_amount", filter=expected & Q(category=ForecastCategory.BEST_CASE)
            ),
            f"{period.key}__pipeline": money(
                "base_amount", filter=expected & Q(category=ForecastCategory.PIPELINE)
            ),
            f"{period.key}__weighted": money("base_weighted", filter=expected),
            f"{period.key}__open_deals": Count("pk", filter=expected),
            f"{period.key}__unconverted": Count("pk", filter=(won | expected) & UNCONVERTED),
        }
    values = deals.aggregate(**figures)
    rows = []
    for period in periods:
        prefix = f"{period.key}__"
        row = {key.removeprefix(prefix): v for key, v in values.items() if key.startswith(prefix)}
        row["expected"] = row["won"] + row["commit"]
        row["upside"] = row["expected"] + row["best_case"]
        rows.append({"period": period, **row})
    return {"rows": rows}


# --- Leads, step by step -----------------------------------------------------------------


def lead_steps(scope: ReportScope) -> tuple:
    """The leads of the period and their figures, each step counted on its own date; the one
    definition that the dashboard, the lead funnel and team performance share.

    - leads_received: leads created in the period.
    - leads_qualified: leads moved to Qualified in the period (by the date of that change; a
      lead qualified twice in the period counts once).
    - leads_converted: leads converted in the period.
    """
    # Each lead is joined to its status changes and conversion *of the period* only
    # (FilteredRelation: the period is in the join's ON clause), not to its whole history: a
    # join to every status change hashed millions of rows for a manager's teams.
    leads = scope.leads().annotate(
        qualified_change=FilteredRelation(
            "status_changes",
            condition=Q(status_changes__to_status=Lead.Status.QUALIFIED)
            & scope.during("status_changes__changed_at"),
        ),
        period_conversion=FilteredRelation(
            "conversion", condition=scope.during("conversion__converted_at")
        ),
    )
    qualified = Q(qualified_change__isnull=False)
    converted = Q(period_conversion__isnull=False)
    figures = {
        "leads_received": Count("pk", distinct=True, filter=scope.during("created_at")),
        "leads_qualified": Count("pk", distinct=True, filter=qualified),
        "leads_converted": Count("pk", distinct=True, filter=converted),
    }
    # Which leads count, found from the period's rows of each kind (each read by its date
    # index) rather than by joining every lead of the teams to them and filtering after.
    qualified_in_period = (
        LeadStatusChange.objects.filter(scope.during("changed_at"), to_status=Lead.Status.QUALIFIED)
        .order_by()
        .values("lead_id")
    )
    converted_in_period = (
        LeadConversion.objects.filter(scope.during("converted_at")).order_by().values("lead_id")
    )
    leads = leads.filter(
        scope.during("created_at")
        | Q(InSubquery(F("pk"), qualified_in_period))
        | Q(InSubquery(F("pk"), converted_in_period))
    )
    return leads, figures


# --- Team performance -------------------------------------------------------------------------


def won_in_period(scope: ReportScope) -> Q:
    """Deals won with a closed date in the period: what team performance counts as won, and
    so what attainment against a quota counts (``reports.quotas``)."""
    return WON & scope.on("closed_date")


def won_figures(scope: ReportScope) -> dict:
    """The number and base-currency amount of the deals won in the period (``won_in_period``),
    as team performance sums them."""
    won = won_in_period(scope)
    return {"won_count": Count("pk", filter=won), "won_amount": money("base_amount", filter=won)}


def _grouped(queryset, key, figures: dict) -> dict:
    """``{key value: {figure: value}}`` from one GROUP BY query."""
    if isinstance(key, str):
        key = F(key)
    return {row.pop("key"): row for row in queryset.values(key=key).annotate(**figures)}


def _team_key():
    """A record counts for its owner's team; an unowned record for its own team."""
    return Coalesce(F("owner__team"), F("team"))


def _summed_by_owner_and_team(queryset, figures: dict) -> tuple[dict, dict]:
    """``({owner: figures}, {team: figures})`` from one GROUP BY (owner, team) query.

    Only for sums and counts: a row falls in exactly one (owner, team) group, so a team's
    figures are the sums of its groups'. One query instead of one by owner and another by
    team, each reading the same rows.
    """
    by_owner: dict = {}
    by_team: dict = {}
    rows = queryset.values(owner_key=F("owner"), team_key=_team_key()).annotate(**figures)
    for row in rows:
        for key, grouped in ((row["owner_key"], by_owner), (row["team_key"], by_team)):
            sums = grouped.setdefault(key, dict.fromkeys(figures, 0))
            for name in figures:
                sums[name] += row[name] or 0
    return by_owner, by_team


def team_performance_report(scope: ReportScope) -> dict:
    """Per rep and per team, for the period.

    - leads_received, leads_qualified, leads_converted: as ``lead_steps`` counts them.
    - created: opportunities created in the period.
    - won_count / won_amount: deals won with a closed date in the period, and their amount.
    - lost_count / lost_amount: deals lost with a closed date in the period, and their amount.
    - win_rate: won ÷ (won + lost) over the deals closed in the period.
    - avg_deal: the average amount of the deals won in the period.
    - avg_cycle_days: the average number of days from a won deal's creation to its closed date.
    - activities_done: activities marked done in the period, counted for their owner (and
      an unowned one for its team) whatever record they are about.
    - open_amount / open_count: the open pipeline now, amount and number of deals.
    - no_next_step: open deals with no activity still to do due today or later.
    - unconverted: deals counted above whose currency has no rate (left out of the amounts).
    - quota, attainment, pace, expected, gap and the deal and activity quotas: each row set
      against its quota for the period, when it has one (``reports.quotas``); ``pace`` also
      for the whole report.

    The reps' rows and the "Unassigned" one (records of no one, ``who`` None) add up to the
    teams' rows: a record counts for its owner's team, an unowned one for its own.
    """
    won = won_in_period(scope)
    lost = LOST & scope.on("closed_date")
    # Only the rows that can count, so that a long history is not grouped for nothing.
    deals = with_base_amounts(scope.opportunities()).filter(
        scope.during("created_at") | scope.on("closed_date") | OPEN
    )
    # Counted apart: in a WHERE clause PostgreSQL can look each deal's next step up by index
    # (an anti-join), where inside the aggregate above it read every pending activity.
    without_next_step = scope.opportunities().filter(OPEN, ~pending_next_step(scope.today))
    # Sums and counts only, so that one query grouped by owner and team serves both tables;
    # the rates and averages are worked out from them below.
    deal_figures = {
        "created": Count("pk", filter=scope.during("created_at")),
        **won_figures(scope),
        "won_priced": Count("base_amount", filter=won),  # won deals with a known rate
        "cycle_days": Sum(DaysBetween(F("closed_date"), TruncDate("created_at")), filter=won),
        "lost_count": Count("pk", filter=lost),
        "lost_amount": money("base_amount", filter=lost),
        "open_amount": money("base_amount", filter=OPEN),
        "open_count": Count("pk", filter=OPEN),
        "unconverted": Count("pk", filter=(won | lost | OPEN) & UNCONVERTED),
    }
    leads, lead_figures = lead_steps(scope)
    activities = scope.activities().filter(scope.during("done_at"))
    activity_figures = {"activities_done": Count("pk")}
    # Someone with nothing in the period still gets a row: counts and amounts are 0, while
    # rates and averages stay empty (there is nothing to divide).
    empty = dict.fromkeys([*deal_figures, "no_next_step", *lead_figures, *activity_figures], 0)
    by_owner, by_team = {}, {}
    for queryset, figures in (
        (deals, deal_figures),
        (without_next_step, {"no_next_step": Count("pk")}),
        (leads, lead_figures),
        (activities, activity_figures),
    ):
        owners, teams = _summed_by_owner_and_team(queryset, figures)
        for key, sums in owners.items():
            by_owner.setdefault(key, {}).update(sums)
        for key, sums in teams.items():
            by_team.setdefault(key, {}).update(sums)

    def rows_for(people, grouped):
        return [
            _with_averages({"who": person, **empty, **grouped.get(person.pk, {})})
            for person in people
        ]

    # Whoever owns a record that counts gets a row (someone since moved on, a manager whose
    # own deals are filed under the team), and the records of no one get the "Unassigned" row
    # (``who`` None): the rows of the people add up to the team's.
    owners = [key for key in by_owner if key is not None]
    reps = rows_for(scope.reps(also=owners).select_related("team"), by_owner)
    if None in by_owner:
        reps.append(_with_averages({"who": None, **empty, **by_owner[None]}))
    return with_quotas({"reps": reps, "teams": rows_for(scope.teams(), by_team)}, scope)


def _with_averages(row: dict) -> dict:
    """A team performance row with its rates and averages, worked out from its sums. Someone
    with nothing closed in the period has none: there is nothing to divide."""
    won, lost, priced = row["won_count"], row["lost_count"], row.pop("won_priced")
    cycle_days = row.pop("cycle_days")
    row["win_rate"] = won / (won + lost) if won + lost else None
    row["avg_deal"] = (row["won_amount"] / priced).quantize(CENTS) if priced else None
    row["avg_cycle_days"] = cycle_days / won if won else None
    return row


# --- Lead funnel ------------------------------------------------------------------------------


FUNNEL_STEPS = {
    "leads": "leads_received",
    "qualified": "leads_qualified",
    "converted": "leads_converted",
}


def _funnel(scope: ReportScope):
    """The leads of the period (``lead_steps``), the deals won in the period that came from a
    lead, and their figures: every step counted on its own date."""
    leads, steps = lead_steps(scope)
    lead_figures = {name: steps[step] for name, step in FUNNEL_STEPS.items()}
    won = with_base_amounts(
        scope.opportunities().won().filter(scope.on("closed_date"), lead__isnull=False)
    )
    won_figures = {
        "won_count": Count("pk"),
        "won_amount": money("base_amount"),
        "unconverted": Count("pk", filter=UNCONVERTED),
    }
    return leads, lead_figures, won, won_figures


def lead_funnel_totals(scope: ReportScope) -> dict:
    """The lead funnel's totals row, over every source (figures as below)."""
    leads, lead_figures, won, won_figures = _funnel(scope)
    return leads.aggregate(**lead_figures) | won.aggregate(**won_figures)


def lead_funnel_report(scope: ReportScope) -> dict:
    """What happened to leads in the period, by source, each step on its own date: the same
    figures as team performance's.

    - leads: leads created in the period.
    - qualified: leads moved to Qualified in the period, whenever they came in.
    - converted: leads converted in the period.
    - won_count / won_amount: deals that came from a lead, won with a closed date in the
      period, and their amount.
    """
    leads, lead_figures, won, won_figures = _funnel(scope)
    won_by_source = _grouped(won, "lead__source", won_figures)
    by_source = {
        row.pop("source"): row
        for row in leads.values("source", "source__name").annotate(**lead_figures).order_by()
    }
    # A source with a won deal and no lead of the period still gets its row.
    missing = LeadSource.objects.filter(pk__in=won_by_source.keys() - by_source.keys())
    for source, name in missing.values_list("pk", "name"):
        by_source[source] = {"source__name": name, **dict.fromkeys(lead_figures, 0)}
    if None in won_by_source and None not in by_source:
        by_source[None] = {"source__name": None, **dict.fromkeys(lead_figures, 0)}
    rows = [
        {"source": source, **row, **won_by_source.get(source, dict.fromkeys(won_figures, 0))}
        for source, row in by_source.items()
    ]
    rows.sort(key=lambda row: (-row["leads"], row["source__name"] or ""))
    return {"rows": rows, "totals": lead_funnel_totals(scope)}


# --- Win/loss ---------------------------------------------------------------------------------


def _closed(scope: ReportScope):
    """Deals won or lost with a closed date in the period."""
    return with_base_amounts(
        scope.opportunities().filter(WON | LOST).filter(scope.on("closed_date"))
    )


def win_loss_summary(scope: ReportScope) -> dict:
    """Won and lost counts and amounts over the period, and the win rate won ÷ (won + lost)."""
    return _closed(scope).aggregate(
        won_count=Count("pk", filter=WON),
        won_amount=money("base_amount", filter=WON),
        lost_count=Count("pk", filter=LOST),
        lost_amount=money("base_amount", filter=LOST),
        win_rate=ratio(Count("pk", filter=WON), Count("pk")),
        unconverted=Count("pk", filter=UNCONVERTED),
    )


def win_loss_report(scope: ReportScope) -> dict:
    """Deals closed in the period (by closed date).

    - summary: won and lost counts and amounts, and the win rate won ÷ (won + lost).
    - reasons: per lost reason, the number of deals lost and their amount.
    - competitors: per competitor named on a closed deal, deals lost to and won against them,
      with amounts.
    - stages: per stage, the number of deals lost while in it and their amount.
    """
    closed = _closed(scope)
    lost = closed.filter(LOST)
    lost_figures = {
        "count": Count("pk"),
        "amount": money("base_amount"),
        "unconverted": Count("pk", filter=UNCONVERTED),
    }
    summary = win_loss_summary(scope)
    reasons = list(
        lost.values("lost_reason", "lost_reason__name")
        .annotate(**lost_figures)
        .order_by("-count", "lost_reason__name")
    )
    competitors = list(
        closed.exclude(competitor="")
        .values("competitor")
        .annotate(
            lost_count=Count("pk", filter=LOST),
            lost_amount=money("base_amount", filter=LOST),
            won_count=Count("pk", filter=WON),
            won_amount=money("base_amount", filter=WON),
            unconverted=Count("pk", filter=UNCONVERTED),
        )
        .order_by("-lost_count", "competitor")
    )
    stages = list(
        lost.values("stage", "stage__name", "pipeline__name")
        .annotate(**lost_figures)
        .order_by("pipeline__order", "pipeline__name", "stage__order", "stage")
    )
    return {"summary": summary, "reasons": reasons, "competitors": competitors, "stages": stages}


# --- Slipped deals ----------------------------------------------------------------------------


def _slips(scope: ReportScope):
    return close_date_pushes().filter(scope.during("changed_at"))


def slipped_summary(scope: ReportScope) -> dict:
    """The slipped deals report's summary (figures as below)."""
    days = DaysBetween(F("new_value"), F("old_value"))
    return (
        _slips(scope)
        .filter(opportunity__in=scope.opportunities().values("pk"))
        .aggregate(
            deals=Count("opportunity", distinct=True),
            pushes=Count("pk"),
            days_pushed=Coalesce(Sum(days), Value(0.0)),
        )
    )


def slipped_report(scope: ReportScope, *, limit: int | None = None) -> dict:
    """Deals whose expected close date was pushed later by a change made in the period (the
    ``limit`` furthest pushed when given).

    - pushes: how many times the date was pushed later in the period.
    - days_pushed: the total number of days it was pushed by in the period.
    - first_date: the expected close date before the first push in the period.
    - summary: the number of slipped deals, the pushes and the days pushed in all.
    """
    slips = _slips(scope)
    days = DaysBetween(F("new_value"), F("old_value"))
    of_deal = slips.filter(opportunity=OuterRef("pk")).order_by().values("opportunity")
    deals = (
        with_base_amounts(scope.opportunities().filter(pk__in=slips.values("opportunity")))
        .annotate(
            pushes=Subquery(of_deal.annotate(n=Count("pk")).values("n")),
            days_pushed=Subquery(of_deal.annotate(d=Sum(days)).values("d")),
            first_date=Subquery(
                slips.filter(opportunity=OuterRef("pk"))
                .order_by("changed_at", "pk")
                .values("old_value")[:1]
            ),
        )
        .select_related("owner", "stage")
        .order_by("-days_pushed", "pk")
    )
    if limit is not None:
        deals = deals[:limit]
    return {"deals": list(deals), "summary": slipped_summary(scope)}


# --- Dashboard --------------------------------------------------------------------------------


def deals_without_next_step(scope: ReportScope):
    """Open deals in scope with no activity still to do due today or later, biggest first
    (amounts in base currency; deals without a rate last)."""
    return (
        with_base_amounts(scope.opportunities().open())
        .filter(~pending_next_step(scope.today))
        .select_related("owner", "stage")
        .order_by(F("base_amount").desc(nulls_last=True), "expected_close_date", "pk")
    )
