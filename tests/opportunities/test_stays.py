"""Each stay of a deal in a stage ends when the next stage or status change is recorded."""

import datetime
import importlib
from decimal import Decimal

from django.apps import apps

from opportunities import services
from opportunities.models import OpportunityChange


def stays(deal) -> list[tuple]:
    """(stage, how it ended: "moved on", "lost" or "going on", and the change that ended it)."""
    rows = list(deal.changes.order_by("changed_at", "pk"))
    result = []
    for row in rows:
        if row.field not in OpportunityChange.ENTERS_STAGE:
            continue
        ending = next(
            (
                later
                for later in rows
                if later.field in OpportunityChange.ENDS_STAY
                and (later.changed_at, later.pk) > (row.changed_at, row.pk)
            ),
            None,
        )
        assert row.left_at == (ending.changed_at if ending else None)
        how = "going on" if row.moved_on is None else "moved on" if row.moved_on else "lost"
        result.append((row.to_stage.name, how, ending and ending.field))
    return result


def a_deal_that_went_round(rep, stages, price):
    deal = services.create_opportunity(
        by=rep,
        stage=stages[0],
        name="Acme renewal",
        amount=Decimal("5000"),
        expected_close_date=datetime.date(2030, 1, 1),
    )
    services.move_opportunity(deal, stage=stages[1], by=rep)
    services.mark_lost(deal, reason=price, by=rep)
    services.reopen(deal, by=rep)
    services.update_opportunity(deal, by=rep, version=deal.version, stage=stages[2])
    return deal


def test_a_deal_that_moved_was_lost_and_came_back_ends_each_stay(rep, stages, price):
    deal = a_deal_that_went_round(rep, stages, price)

    assert stays(deal) == [
        ("Qualification", "moved on", "stage"),
        ("Proposal", "lost", "status"),
        ("Negotiation", "going on", None),
    ]

    services.mark_won(deal, by=rep)

    assert stays(deal)[-1] == ("Negotiation", "moved on", "status")


def test_the_history_so_far_gets_the_same_ends_when_the_columns_arrive(rep, stages, price):
    deal = a_deal_that_went_round(rep, stages, price)
    services.mark_won(deal, by=rep)
    recorded = list(deal.changes.order_by("pk").values_list("pk", "left_at", "moved_on"))
    OpportunityChange.objects.update(left_at=None, moved_on=None)

    migration = importlib.import_module("opportunities.migrations.0007_stay_ends")
    migration.record_stay_ends(apps, schema_editor=None)

    assert list(deal.changes.order_by("pk").values_list("pk", "left_at", "moved_on")) == recorded
