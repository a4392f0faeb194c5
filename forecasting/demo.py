"""Demo quotas: for the Iberia team and each of its reps, last month, this month and this
quarter, so that team performance, the dashboard and My day show attainment and pace.

Idempotent: running it again changes nothing (a quota already set is left as it is).
"""

from decimal import Decimal

from django.utils import timezone

from crm.demo import DemoPeople
from forecasting.models import Period, Quota
from infra.periods import month_start, quarter_start

# Amount in the base currency, deals, activities: for a month and for a quarter.
TEAM_QUOTAS = {Period.MONTH: ("60000", None, 80), Period.QUARTER: ("180000", None, 240)}
REP_QUOTAS = {Period.MONTH: ("25000", 3, 40), Period.QUARTER: ("75000", 8, 120)}


def seed(people: DemoPeople) -> None:
    today = timezone.localdate()
    periods = [
        (Period.MONTH, month_start(today, -1)),
        (Period.MONTH, month_start(today)),
        (Period.QUARTER, quarter_start(today)),
    ]
    for period, start in periods:
        whose = [({"team": people.team}, TEAM_QUOTAS)]
        whose += [({"owner": rep}, REP_QUOTAS) for rep in people.reps]
        for who, quotas in whose:
            amount, deals, activities = quotas[period]
            Quota.objects.get_or_create(
                **who,
                period=period,
                start=start,
                defaults={
                    "amount": Decimal(amount),
                    "deals": deals,
                    "activities": activities,
                    "set_by": people.manager,
                },
            )
