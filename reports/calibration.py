"""How far the probabilities can be trusted, from the deals closed in the last 12 months.

- Per stage: of the closed deals that had been in it, the share won (the *history's rate*,
  with how many deals it rests on), beside the probability the stage gives; and the open
  pipeline weighted both ways, by each deal's probability (as the pipeline report) and by its
  stage's history rate (*history-weighted*).
- Per rep: over their deals closed in the last 12 months, the average probability they gave
  just before closing, the share they won, and the Brier score of those probabilities against
  the outcomes (the mean of (probability − outcome)², outcome 1 for won and 0 for lost: 0 is a
  perfect call, 0.25 what always saying 50 % scores). A rep whose average probability is well
  above their share won calls too high.

The probability given just before closing is the one the closing change replaced (a win sets
100, a loss 0, and the history keeps what it was); a deal already at 100 or 0 kept it. A deal
reopened and closed again counts each closing's call.
"""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When
from django.db.models.functions import Cast

from opportunities.models import Opportunity, OpportunityChange, Stage
from reports.figures import figures_for
from reports.filters import ReportScope
from reports.metrics import pipeline_report

HISTORY_DAYS = 365
WON = Q(opportunity__status=Opportunity.Status.WON)
CLOSED = [Opportunity.Status.WON, Opportunity.Status.LOST]


def _since(scope: ReportScope) -> tuple[datetime.date, datetime.date]:
    today = scope.today or scope.now.date()
    return today - datetime.timedelta(days=HISTORY_DAYS), today


def stage_rates(scope: ReportScope) -> dict[int, dict]:
    """Per stage id: ``closed`` deals that had been in it and ``won`` of them, ``rate``."""
    start, end = _since(scope)
    stays = scope.changes().filter(
        field__in=OpportunityChange.ENTERS_STAGE,
        to_stage__isnull=False,
        opportunity__status__in=CLOSED,
        opportunity__closed_date__gte=start,
        opportunity__closed_date__lte=end,
    )
    rows = (
        stays.values("to_stage")
        .annotate(
            closed=Count("opportunity", distinct=True),
            won=Count("opportunity", distinct=True, filter=WON),
        )
        .order_by()
    )
    return {
        row["to_stage"]: {**row, "rate": row["won"] / row["closed"] if row["closed"] else None}
        for row in rows
    }


def _closing_calls(deals):
    """The probability rows their closing wrote (100 on a win, 0 on a loss) of ``deals``:
    each replaced probability is the call made just before the deal closed."""
    return OpportunityChange.objects.filter(
        Q(new_value="100", opportunity__status=Opportunity.Status.WON)
        | Q(new_value="0", opportunity__status=Opportunity.Status.LOST),
        opportunity__in=deals.values("pk"),
        field=OpportunityChange.Field.PROBABILITY,
    ).exclude(old_value="")


def rep_scores(scope: ReportScope) -> list[dict]:
    """Per owner of deals closed in the last 12 months: ``closed``, the average probability
    ``given`` just before closing, the share ``won``, their ``gap`` and the ``brier`` score.

    Read in two grouped queries, never a subquery per deal: the deals (how many closed and
    won), and the probability rows their closing wrote (the calls it replaced). A deal that
    was already at 100 % when won (or 0 % when lost) wrote none: its call was right, 0 in the
    score."""
    start, end = _since(scope)
    deals = scope.opportunities().filter(
        status__in=CLOSED, closed_date__gte=start, closed_date__lte=end
    )
    owners = (
        deals.values("owner", "owner__first_name", "owner__last_name", "owner__username")
        .annotate(closed=Count("pk"), won=Count("pk", filter=Q(status=Opportunity.Status.WON)))
        .order_by("owner__first_name", "owner__last_name", "owner")
    )
    call = Cast("old_value", FloatField()) / Value(100.0)
    outcome = Case(
        When(opportunity__status=Opportunity.Status.WON, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    calls = {
        row["opportunity__owner"]: row
        for row in _closing_calls(deals)
        .annotate(call=call, outcome=outcome)
        .values("opportunity__owner")
        .annotate(
            calls=Count("pk"),
            won_calls=Count("pk", filter=Q(opportunity__status=Opportunity.Status.WON)),
            given=Sum("call"),
            squared=Sum((F("call") - F("outcome")) * (F("call") - F("outcome"))),
        )
        .order_by()
    }
    scores = []
    for row in owners:
        made = calls.get(row["owner"], {"won_calls": 0, "given": 0.0, "squared": 0.0})
        closed, won = row["closed"], row["won"]
        # A won deal with no closing row was called at 100 %.
        given = (made["given"] + won - made["won_calls"]) / closed
        name = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
        scores.append(
            {
                "owner": row["owner"],
                "name": name or row["owner__username"] or "",
                "closed": closed,
                "given": given,
                "won": won / closed,
                "gap": given - won / closed,
                "brier": made["squared"] / closed,
            }
        )
    return scores


def calibration_report(scope: ReportScope) -> dict:
    rates = stage_rates(scope)
    # Kept under the pipeline report's name: opening one after the other computes it once.
    open_pipeline = figures_for("pipeline", scope, lambda: pipeline_report(scope))
    pipeline = {row["stage"]: row for row in open_pipeline["rows"]}
    stages = Stage.objects.select_related("pipeline").order_by(
        "pipeline__order", "pipeline__name", "order", "pk"
    )
    if scope.pipeline is not None:
        stages = stages.filter(pipeline=scope.pipeline)
    rows = []
    for stage in stages:
        history = rates.get(stage.pk, {})
        open_deals = pipeline.get(stage.pk, {})
        rate = history.get("rate")
        amount = open_deals.get("amount")
        rows.append(
            {
                "stage": stage,
                "probability": stage.probability / 100,
                "closed": history.get("closed", 0),
                "won": history.get("won", 0),
                "rate": rate,
                "open": open_deals.get("count", 0),
                "weighted": open_deals.get("weighted"),
                "history_weighted": (
                    round(amount * Decimal(str(rate)), 2)
                    if amount is not None and rate is not None
                    else None
                ),
            }
        )
    rows = [row for row in rows if row["closed"] or row["open"]]
    totals = {
        "closed": sum(row["closed"] for row in rows),
        "open": sum(row["open"] for row in rows),
        "weighted": sum(row["weighted"] or 0 for row in rows),
        "history_weighted": sum(row["history_weighted"] or 0 for row in rows),
    }
    return {"rows": rows, "totals": totals, "reps": rep_scores(scope)}
