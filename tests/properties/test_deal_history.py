"""Whatever a rep does to a deal, in any order (moves, edits, wins, losses, reopening, undo),
its history replays to what the deal is now, a refused change leaves it as it was, and the
board's and the pipeline report's totals are the sums of the open deals they show."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from opportunities import services
from opportunities.models import Opportunity, OpportunityChange
from reports.filters import ReportScope
from reports.metrics import pipeline_report
from tests.factories import make_lost_reason, make_opportunity
from tests.properties.rollback import EXAMPLES, rolled_back

TODAY = datetime.date(2026, 12, 7)

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31))
steps = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 2)),
    st.tuples(st.just("edit_amount"), amounts),
    st.tuples(st.just("edit_probability"), st.integers(0, 100)),
    st.tuples(st.just("edit_close_date"), dates),
    st.tuples(st.just("edit_stage"), st.integers(0, 2)),
    st.tuples(st.just("win"), dates),
    st.tuples(st.just("lose"), dates),
    st.tuples(st.just("reopen"), st.none()),
    st.tuples(st.just("undo"), st.sampled_from(["move", "won", "lost"])),
)
plans = st.lists(st.tuples(st.integers(0, 2), steps), min_size=1, max_size=12)


def apply(deal, step, *, rep, stages, reason):
    kind, value = step
    if kind == "move":
        return services.move_opportunity(deal, stage=stages[value], by=rep)
    if kind.startswith("edit_"):
        field = kind.removeprefix("edit_")
        change = stages[value] if field == "stage" else value
        field = "expected_close_date" if field == "close_date" else field
        return services.update_opportunity(deal, by=rep, version=deal.version, **{field: change})
    if kind == "win":
        return services.mark_won(deal, by=rep, closed_date=value)
    if kind == "lose":
        return services.mark_lost(deal, reason=reason, by=rep, closed_date=value)
    if kind == "reopen":
        return services.reopen(deal, by=rep)
    return services.undo_transition(deal, action=value, version=deal.version, by=rep)


def saved(deal) -> dict:
    row = Opportunity.objects.get(pk=deal.pk)
    return {name: services._as_text(getattr(row, name)) for name in services.TRACKED_FIELDS} | {
        "version": row.version
    }


def replayed(deal, start: dict) -> dict:
    """The tracked fields as the history tells them, from the values the deal was made with;
    each change must start from the value the one before left."""
    values = dict(start)
    for row in deal.changes.exclude(field=OpportunityChange.Field.CREATED).order_by("pk"):
        assert row.old_value == values[row.field], (row.field, row.old_value, values[row.field])
        values[row.field] = row.new_value
    return values


def test_a_deals_history_replays_to_what_it_is_after_any_sequence_of_changes(rep, stages):
    reason = make_lost_reason()
    deals = [
        make_opportunity(
            stage=stages[0],
            owner=rep,
            amount=Decimal("1000.00"),
            probability=stages[0].probability,
            expected_close_date=TODAY,
        )
        for _ in range(3)
    ]
    starts = [saved(deal) for deal in deals]

    @EXAMPLES
    @given(plan=plans)
    def check(plan):
        with rolled_back():
            for index, step in plan:
                deal = Opportunity.objects.get(pk=deals[index].pk)
                before = saved(deal)
                try:
                    apply(deal, step, rep=rep, stages=stages, reason=reason)
                except services.InvalidTransition:
                    assert saved(deal) == before, step
            for deal, start in zip(deals, starts, strict=True):
                now = saved(deal)
                history = replayed(deal, {k: v for k, v in start.items() if k != "version"})
                assert history == {k: v for k, v in now.items() if k != "version"}
                # One stay open at a time: the stage the deal is in, or none once closed.
                open_stays = deal.changes.filter(
                    field__in=OpportunityChange.ENTERS_STAGE, left_at__isnull=True
                ).count()
                assert open_stays <= 1
            open_deals = Opportunity.objects.open()
            by_stage = open_deals.totals_by_stage()
            for stage in stages:
                in_stage = [d for d in open_deals if d.stage_id == stage.pk]
                figures = by_stage.get(stage.pk, {"deals": 0, "amount_total": Decimal(0)})
                assert figures["deals"] == len(in_stage)
                assert figures["amount_total"] == sum((d.amount for d in in_stage), Decimal(0))
            report = pipeline_report(ReportScope(user=rep, start=TODAY, end=TODAY, today=TODAY))
            assert report["totals"]["count"] == open_deals.count()
            assert sum(row["count"] for row in report["rows"]) == open_deals.count()
            assert report["totals"]["amount"] == sum((d.amount for d in open_deals), Decimal(0))

    check()
