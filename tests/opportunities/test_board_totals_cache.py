"""The board's column totals are kept in the cache, but never show a figure a change has made
stale, and never one computed for somebody else."""

from decimal import Decimal

from opportunities.services import create_opportunity, move_opportunity
from tests.factories import make_opportunity

BOARD = "/opportunities/board/"


def first_column(client):
    return client.get(BOARD).context["columns"][0]


def test_a_new_deal_counts_on_the_next_board_view(
    rep_client, rep, deal, stages, django_capture_on_commit_callbacks
):
    assert (first_column(rep_client).count, first_column(rep_client).amount) == (
        1,
        Decimal("1000.00"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        create_opportunity(by=rep, stage=stages[0], name="Fresh", amount=Decimal("250"),
                           expected_close_date=deal.expected_close_date)  # fmt: skip

    column = first_column(rep_client)
    assert (column.count, column.amount) == (2, Decimal("1250.00"))


def test_a_move_updates_both_columns_at_once(
    rep_client, rep, deal, stages, django_capture_on_commit_callbacks
):
    first_column(rep_client)

    with django_capture_on_commit_callbacks(execute=True):
        move_opportunity(deal, stage=stages[1], by=rep)

    columns = rep_client.get(BOARD).context["columns"]
    assert [column.count for column in columns] == [0, 1, 0]


def test_each_person_gets_totals_of_their_own_scope(
    rep_client, teammate_client, teammate, deal, stages
):
    make_opportunity(name="Bob's", owner=teammate, stage=stages[0], amount=Decimal("70"))

    alice = first_column(rep_client)
    bob = first_column(teammate_client)

    assert (alice.count, alice.amount) == (1, Decimal("1000.00"))
    assert (bob.count, bob.amount) == (1, Decimal("70.00"))
