"""How deals move through the stages, read from their history (``OpportunityChange``).

A *stay* is one entry of a deal into a stage: its "created" row or a stage-change row. It ends at
the deal's next stage change or status change (won or lost), which records the end on the row
(``left_at``, ``moved_on``); a stay that has not ended yet is still going on. Time a reopened
deal spends after being reopened, until its next stage change, is not counted as a stay: the
history has no row entering a stage then.
"""

from django.core.cache import cache
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate

from crm.models import User
from opportunities.models import Opportunity, OpportunityChange, Stage
from opportunities.reports.expressions import DaysBetween, ratio
from opportunities.reports.filters import ReportScope

WON_DEAL = Q(opportunity__status=Opportunity.Status.WON)
CLOSED_DEAL = Q(opportunity__status__in=[Opportunity.Status.WON, Opportunity.Status.LOST])


def _outcome_figures() -> dict:
    return {
        "won_deals": Count("opportunity", distinct=True, filter=WON_DEAL),
        "closed_deals": Count("opportunity", distinct=True, filter=CLOSED_DEAL),
        "win_chance": ratio(
            Count("opportunity", distinct=True, filter=WON_DEAL),
            Count("opportunity", distinct=True, filter=CLOSED_DEAL),
        ),
        "days_to_close": Avg(
            DaysBetween(F("opportunity__closed_date"), TruncDate("changed_at")), filter=WON_DEAL
        ),
    }


def velocity_report(scope: ReportScope) -> dict:
    """Per stage, over the stays that began in the period.

    - entries: the number of times deals entered the stage.
    - avg_days: the average number of days a finished stay lasted.
    - move_on_rate: of the stays that have ended, the share that ended in another stage or a
      win rather than a loss.
    - win_chance: of the deals that were in the stage and are now closed, the share won.
    - days_to_close: for the won deals, the average number of days from entering the stage to
      the closed date.
    """
    ended = Q(left_at__isnull=False)
    stays = scope.changes().filter(
        scope.during("changed_at"),
        field__in=OpportunityChange.ENTERS_STAGE,
        to_stage__isnull=False,
    )
    by_stage = {
        row.pop("to_stage"): row
        for row in stays.values("to_stage")
        .annotate(
            entries=Count("pk"),
            ended=Count("pk", filter=ended),
            avg_days=Avg(DaysBetween(F("left_at"), F("changed_at")), filter=ended),
            move_on_rate=ratio(
                Count("pk", filter=ended & Q(moved_on=True)), Count("pk", filter=ended)
            ),
            **_outcome_figures(),
        )
        .order_by()
    }
    stages = Stage.objects.select_related("pipeline").order_by(
        "pipeline__order", "pipeline__name", "order", "pk"
    )
    if scope.pipeline is not None:
        stages = stages.filter(pipeline=scope.pipeline)
    rows = [{"stage": stage, **by_stage[stage.pk]} for stage in stages if stage.pk in by_stage]
    return {"rows": rows}


def stage_velocity(stage: Stage, *, user: User) -> dict:
    """From ``stage``, over the deals ``user`` may see: how many days won deals usually took
    from entering it to closing (``days_to_close``), the share of closed ones that were won
    (``win_chance``) and how many closed deals that rests on (``closed_deals``)."""
    changes = OpportunityChange.objects.filter(
        opportunity__in=Opportunity.objects.visible_to(user).values("pk"),
        field__in=OpportunityChange.ENTERS_STAGE,
        to_stage=stage,
    )
    return changes.aggregate(**_outcome_figures())


# The note on a deal's page reads the whole visible history of a stage; it changes slowly, so
# it is kept for a while rather than recomputed on every page view.
STAGE_VELOCITY_SECONDS = 60 * 60


def cached_stage_velocity(stage: Stage, *, user: User) -> dict:
    """``stage_velocity`` for ``user``'s scope, kept in the cache for an hour."""
    scope = "all" if user.is_admin else f"user-{user.pk}"
    key = f"stage-velocity:{stage.pk}:{scope}"
    return cache.get_or_set(key, lambda: stage_velocity(stage, user=user), STAGE_VELOCITY_SECONDS)
