"""Deal risk: the signs that an open deal may slip, each shown with the reason for it.

- its expected close date was pushed later twice or more;
- its amount was cut;
- it has had no activity for longer than its stage allows (the stale badge's rule);
- it has been in its stage longer than 75 % of the deals that were won from that stage stayed
  there (their stays that ended in the last 12 months, and only once there are enough of them).

``risk_annotations()`` annotate a queryset with what the flags need (three subqueries per
shown deal, each an index probe, never a scan); ``attach_risks`` reads the stages' usual
stays once (cached an hour per scope, as the stage velocity note is) and gives each deal its
``risks``.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DecimalField,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crm.models import User
from infra.expressions import DaysBetween
from opportunities.models import Opportunity, OpportunityChange, close_date_pushes

PUSHES = 2
SLOW_SHARE = 0.75
MIN_WON_STAYS = 5
HISTORY_DAYS = 365
USUAL_STAY_SECONDS = 60 * 60


class Percentile(Aggregate):
    """PostgreSQL's continuous percentile of an expression (``share`` from 0 to 1)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(share)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, share: float, **extra):
        super().__init__(expression, share=float(share), **extra)


@dataclass(frozen=True)
class Risk:
    code: str  # "pushed", "cut", "stale" or "slow"
    reason: str


def _as_amount(field: str):
    return Cast(NullIf(F(field), Value("")), DecimalField(max_digits=14, decimal_places=2))


def risk_annotations() -> dict:
    """For each deal: how often its close date was pushed, whether its amount was ever cut,
    and when it entered the stage it is in."""
    mine = OpportunityChange.objects.filter(opportunity=OuterRef("pk")).order_by()
    pushes = (
        close_date_pushes()
        .filter(opportunity=OuterRef("pk"))
        .order_by()
        .values("opportunity")
        .annotate(count=Count("pk"))
        .values("count")
    )
    cut = (
        mine.filter(field=OpportunityChange.Field.AMOUNT)
        .annotate(before=_as_amount("old_value"), after=_as_amount("new_value"))
        .filter(after__lt=F("before"))
        .values("pk")[:1]
    )
    entered = (
        mine.filter(
            field__in=OpportunityChange.ENTERS_STAGE,
            to_stage=OuterRef("stage_id"),
            left_at__isnull=True,
        )
        .order_by("-changed_at")
        .values("changed_at")[:1]
    )
    return {
        "close_date_pushes": Coalesce(Subquery(pushes), 0),
        "amount_cut_id": Subquery(cut),
        "stage_entered_at": Subquery(entered),
    }


def usual_stays(stage_ids: list[int], *, user: User) -> dict[int, float]:
    """For each stage with enough won deals: the days within which 75 % of the deals won from
    it (that ``user`` may see) left it, over stays that ended in the last 12 months."""
    since = timezone.now() - datetime.timedelta(days=HISTORY_DAYS)
    rows = OpportunityChange.objects.filter(
        opportunity__in=Opportunity.objects.visible_to(user)
        .filter(status=Opportunity.Status.WON)
        .values("pk"),
        field__in=OpportunityChange.ENTERS_STAGE,
        to_stage__in=stage_ids,
        left_at__gte=since,
        moved_on=True,
    ).annotate(days=DaysBetween(F("left_at"), F("changed_at")))
    if connection.vendor == "postgresql":
        # PostgreSQL interpolates as ``statistics.quantiles(method="inclusive")`` does, and
        # sends four numbers rather than every stay (0.8 s for an administrator at full size).
        per_stage = (
            rows.order_by()
            .values("to_stage_id")
            .annotate(usual=Percentile("days", share=SLOW_SHARE), stays=Count("pk"))
            .filter(stays__gte=MIN_WON_STAYS)
        )
        return {row["to_stage_id"]: row["usual"] for row in per_stage}
    stays: dict[int, list[float]] = {}
    for stage_id, days in rows.values_list("to_stage_id", "days"):
        stays.setdefault(stage_id, []).append(days)
    return {
        stage_id: statistics.quantiles(days, n=4, method="inclusive")[2]
        for stage_id, days in stays.items()
        if len(days) >= MIN_WON_STAYS
    }


def cached_usual_stays(stage_ids: list[int], *, user: User) -> dict[int, float]:
    scope = "all" if user.is_admin else f"user-{user.pk}"
    stage_ids = sorted(set(stage_ids))
    key = f"usual-stays:{scope}:{','.join(map(str, stage_ids))}"
    return cache.get_or_set(key, lambda: usual_stays(stage_ids, user=user), USUAL_STAY_SECONDS)


def risks_of(deal, *, usual: dict[int, float], now: datetime.datetime) -> list[Risk]:
    """The flags of one deal annotated by ``risk_annotations()`` (and, for the stale one, by
    ``with_activity_badges()``)."""
    if not deal.is_open:
        return []
    risks = []
    if deal.close_date_pushes >= PUSHES:
        risks.append(
            Risk(
                "pushed",
                _("Close date pushed back %(count)s times.") % {"count": deal.close_date_pushes},
            )
        )
    if deal.amount_cut_id is not None:
        risks.append(Risk("cut", _("Amount cut since it was first set.")))
    if getattr(deal, "is_stale", False):
        touched = deal.last_activity_at or deal.created_at
        days = (now - touched).days
        allowed = deal.stage.stale_after_days
        risks.append(
            Risk(
                "stale",
                ngettext(
                    "No activity for %(days)s days; its stage allows %(allowed)s day.",
                    "No activity for %(days)s days; its stage allows %(allowed)s days.",
                    allowed,
                )
                % {"days": days, "allowed": allowed},
            )
        )
    usual_days = usual.get(deal.stage_id)
    if usual_days is not None and deal.stage_entered_at is not None:
        days = (now - deal.stage_entered_at).total_seconds() / 86400
        if days > usual_days:
            risks.append(
                Risk(
                    "slow",
                    _(
                        "%(days)s days in this stage; 75%% of the deals won from it left it "
                        "within %(usual)s."
                    )
                    % {"days": int(days), "usual": round(usual_days)},
                )
            )
    return risks


def attach_risks(deals, *, user: User):
    """Give each deal (annotated by ``risk_annotations()``) its ``risks``, and the
    ``unbadged_risks`` its activity badges do not show already (a board card shows the stale
    badge); return the deals."""
    deals = list(deals)
    open_stages = [deal.stage_id for deal in deals if deal.is_open]
    usual = cached_usual_stays(open_stages, user=user) if open_stages else {}
    now = timezone.now()
    for deal in deals:
        deal.risks = risks_of(deal, usual=usual, now=now)
        deal.unbadged_risks = [risk for risk in deal.risks if risk.code != "stale"]
    return deals
