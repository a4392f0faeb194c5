import datetime
from decimal import Decimal

import pytest
from django.db import connection

from opportunities.models import Opportunity, OpportunityChange
from tests.factories import make_opportunity


def test_weighted_amount_is_computed_by_the_database(rep, stages):
    make_opportunity(owner=rep, stage=stages[0], amount=Decimal("1001.00"), probability=15)

    deal = Opportunity.objects.with_weighted_amount().get()

    assert deal.weighted_amount_db == Decimal("150.15") == deal.weighted_amount


def test_totals_count_and_sum_every_deal_in_one_query(rep, stages, django_assert_num_queries):
    make_opportunity(owner=rep, stage=stages[0], amount=Decimal("100"), probability=50)
    make_opportunity(owner=rep, stage=stages[1], amount=Decimal("300"), probability=10)
    make_opportunity(owner=rep, stage=stages[1], amount=Decimal("200"), currency="USD")

    with django_assert_num_queries(1):
        totals = Opportunity.objects.totals({"USD": Decimal("2")})

    # 100 + 300 + 200 × 2 = 800; weighted 50 + 30 + 400 × 60 % = 320.
    assert totals == {
        "deals": 3,
        "amount_total": Decimal("800.00"),
        "weighted_total": Decimal("320.00"),
    }


def test_totals_of_nothing_are_zero(db):
    assert Opportunity.objects.totals() == {
        "deals": 0,
        "amount_total": Decimal("0"),
        "weighted_total": Decimal("0"),
    }


def test_first_per_stage_keeps_the_earliest_closing_deals_of_each_stage(
    rep, stages, django_assert_num_queries
):
    start = datetime.date(2030, 1, 1)
    for stage in stages[:2]:
        for day in (5, 1, 3, 2, 4):
            make_opportunity(
                name=f"{stage.name} {day}",
                owner=rep,
                stage=stage,
                expected_close_date=start + datetime.timedelta(days=day),
            )

    # On PostgreSQL, which deals (a UNION of one LIMIT per stage), then those deals.
    queries = 2 if connection.features.supports_slicing_ordering_in_compound else 1
    with django_assert_num_queries(queries):
        cards = Opportunity.objects.first_per_stage([s.pk for s in stages], 2)

    assert sorted(card.name for card in cards) == [
        "Proposal 1",
        "Proposal 2",
        "Qualification 1",
        "Qualification 2",
    ]


@pytest.mark.parametrize(
    ("field", "old", "new", "shown"),
    [
        ("status", "open", "won", ("Open", "Won")),
        ("amount", "15800.00", "17250.50", ("15,800.00", "17,250.50")),
        ("probability", "40", "100", ("40 %", "100 %")),
        ("expected_close_date", "2026-12-21", "2027-01-10", ("12/21/2026", "01/10/2027")),
        ("amount", "", "oops", ("", "oops")),
    ],
)
def test_change_values_read_as_people_write_them(field, old, new, shown):
    change = OpportunityChange(field=field, old_value=old, new_value=new)

    assert (change.old_display, change.new_display) == shown
