"""How someone stands against their own quotas today, for My day: the same figures as their row
of team performance (``reports.quotas``), for the month and the quarter holding today.

Read in a few queries (their quotas, then per quota the deals won and, when it asks for them,
the activities done) and kept in the cache until the next change in their scope.
"""

import datetime

from crm.models import User
from forecasting.models import Period, Quota
from infra.report_cache import cached_figures
from reports.currency import with_base_amounts
from reports.filters import ReportScope
from reports.metrics import won_figures


def _progress(user: User, quota: Quota, today: datetime.date) -> dict:
    scope = ReportScope(user=user, start=quota.start, end=quota.end, rep=user, today=today)
    won = with_base_amounts(scope.opportunities()).aggregate(**won_figures(scope))
    activities_done = 0
    if quota.activities:
        activities_done = scope.activities().filter(scope.during("done_at")).count()
    return {
        "label": quota.period_label,
        "period": quota.period,
        "start": quota.start,
        "end": quota.end,
        **won,
        "activities_done": activities_done,
        **quota.progress(today=today, activities_done=activities_done, **won),
    }


def own_quota_progress(user: User, *, today: datetime.date) -> list[dict]:
    """``user``'s quotas of this month and this quarter (the month first), each with what was
    won and done so far and ``Quota.progress``'s figures."""

    def compute():
        quotas = Quota.objects.visible_to(user).filter(owner=user).covering(today)
        ordered = sorted(quotas, key=lambda quota: quota.period != Period.MONTH)
        return [_progress(user, quota, today) for quota in ordered]

    return cached_figures("own_quotas", [user.pk, today.isoformat()], compute, user=user)
