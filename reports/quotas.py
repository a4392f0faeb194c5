"""Team performance against the quotas (``forecasting``): each rep's and team's attainment,
pace and gap for the period, from the figures team performance counts (what it counts as won,
in the base currency at dated rates, and the activities done), so that both say the same.

A quota is for a month or a quarter: the figures show when the report's period is exactly one
(this month, last quarter, custom dates running over one), and for every pipeline (a quota
counts the deals of all of them: with one pipeline chosen there is nothing to set against it).
"""

from django.utils import timezone

from forecasting.models import NO_QUOTA, Quota, pace, period_of
from reports.filters import ReportScope


def quotas_apply(scope: ReportScope) -> bool:
    """Whether the scope's figures can be set against quotas (see the module's docstring)."""
    return scope.pipeline is None and period_of(scope.start, scope.end) is not None


def with_quotas(report: dict, scope: ReportScope) -> dict:
    """Team performance's ``report`` with each row's quota figures (``Quota.progress``; all
    None for a row without a quota) and the period's ``pace`` (None when no quota applies).
    One query: the quotas of the period that the user sees."""
    today = scope.today or timezone.localdate()
    applies = quotas_apply(scope)
    quotas = (
        Quota.objects.visible_to(scope.user).for_period(scope.start, scope.end)
        if applies
        else Quota.objects.none()
    )
    of_rep, of_team = {}, {}
    for quota in quotas:
        if quota.owner_id is not None:
            of_rep[quota.owner_id] = quota
        else:
            of_team[quota.team_id] = quota

    def add(rows, quotas_by_pk):
        for row in rows:
            quota = quotas_by_pk.get(row["who"].pk) if row["who"] is not None else None
            row.update(NO_QUOTA if quota is None else _progress(quota, row, today))

    add(report["reps"], of_rep)
    add(report["teams"], of_team)
    report["pace"] = pace(scope.start, scope.end, today) if applies else None
    return report


def _progress(quota: Quota, row: dict, today) -> dict:
    return quota.progress(
        today=today,
        won_amount=row["won_amount"],
        won_count=row["won_count"],
        activities_done=row["activities_done"],
    )
