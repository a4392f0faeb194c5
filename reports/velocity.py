"""How deals move through the stages, read from their history (``OpportunityChange``).

A *stay* is one entry of a deal into a stage: its "created" row or a stage-change row. It ends at
the deal's next stage change or status change (won or lost), which records the end on the row
(``left_at``, ``moved_on``); a stay that has not ended yet is still going on. Time a reopened
deal spends after being reopened, until its next stage change, is not counted as a stay: the
history has no row entering a stage then.
"""

from django.db.models import Avg, Count, F, Q

from infra.expressions import DaysBetween, ratio
from opportunities.models import OpportunityChange, Stage
from opportunities.velocity import outcome_figures
from reports.filters import ReportScope


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
            **outcome_figures(),
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
