import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from opportunities.models import Opportunity, OpportunityChange
from opportunities.services import (
    ConcurrentEditError,
    InvalidTransition,
    create_opportunity,
    mark_lost,
    mark_won,
    move_opportunity,
    reopen,
    update_opportunity,
)
from tests.factories import make_pipeline
from tests.opportunities.history import history


def test_create_opportunity_takes_the_stage_probability_and_records_creation(rep, stages):
    opportunity = create_opportunity(
        by=rep,
        stage=stages[1],
        name="Big deal",
        amount=Decimal("5000"),
        expected_close_date=datetime.date(2030, 1, 1),
    )

    assert (opportunity.probability, opportunity.owner, opportunity.team) == (60, rep, rep.team)
    assert opportunity.pipeline == stages[1].pipeline
    assert history(opportunity) == [("created", "", "Proposal", "alice")]


def test_move_takes_the_new_stage_probability_and_records_stage_and_probability(deal, rep, stages):
    move_opportunity(deal, stage=stages[2], by=rep)

    deal.refresh_from_db()
    assert (deal.stage, deal.probability, deal.version) == (stages[2], 90, 2)
    assert history(deal) == [
        ("stage", "Qualification", "Negotiation", "alice"),
        ("probability", "30", "90", "alice"),
    ]
    stage_row = deal.changes.get(field="stage")
    assert (stage_row.from_stage, stage_row.to_stage) == (stages[0], stages[2])


def test_move_keeps_a_probability_set_by_hand(deal, rep, stages):
    deal.probability, deal.probability_is_manual = 45, True
    deal.save()

    move_opportunity(deal, stage=stages[1], by=rep)

    deal.refresh_from_db()
    assert (deal.stage, deal.probability) == (stages[1], 45)
    assert history(deal) == [("stage", "Qualification", "Proposal", "alice")]


def test_move_refuses_a_stage_of_another_pipeline(deal, rep):
    elsewhere = make_pipeline(name="Renewals").stages.first()

    with pytest.raises(InvalidTransition):
        move_opportunity(deal, stage=elsewhere, by=rep)

    deal.refresh_from_db()
    assert (deal.stage.name, deal.version, deal.changes.count()) == ("Qualification", 1, 0)


def test_move_refuses_a_closed_deal(deal, rep, stages):
    mark_won(deal, by=rep)

    with pytest.raises(InvalidTransition):
        move_opportunity(deal, stage=stages[1], by=rep)

    assert Opportunity.objects.get(pk=deal.pk).stage == stages[0]


def test_mark_won_sets_probability_100_and_closed_today_keeping_the_stage(deal, rep, stages):
    move_opportunity(deal, stage=stages[1], by=rep)

    mark_won(deal, by=rep)

    deal.refresh_from_db()
    assert (deal.status, deal.probability, deal.closed_date, deal.stage) == (
        "won",
        100,
        timezone.localdate(),
        stages[1],
    )
    assert history(deal)[2:] == [
        ("status", "open", "won", "alice"),
        ("probability", "60", "100", "alice"),
    ]


def test_mark_lost_requires_a_reason(deal, rep):
    with pytest.raises(InvalidTransition):
        mark_lost(deal, reason=None, by=rep)

    deal.refresh_from_db()
    assert (deal.status, deal.changes.count()) == ("open", 0)


def test_mark_lost_sets_probability_0_reason_and_competitor(deal, rep, price):
    mark_lost(deal, reason=price, competitor=" Globex ", by=rep)

    deal.refresh_from_db()
    assert (deal.status, deal.probability, deal.lost_reason, deal.competitor) == (
        "lost",
        0,
        price,
        "Globex",
    )
    assert deal.closed_date == timezone.localdate()
    assert deal.stage.name == "Qualification"
    assert history(deal) == [
        ("status", "open", "lost", "alice"),
        ("probability", "30", "0", "alice"),
    ]


def test_reopen_clears_the_closing_and_restores_the_stage_probability(deal, rep, price):
    mark_lost(deal, reason=price, competitor="Globex", by=rep)

    reopen(deal, by=rep)

    deal.refresh_from_db()
    assert (deal.status, deal.probability, deal.closed_date) == ("open", 30, None)
    assert (deal.lost_reason, deal.competitor, deal.version) == (None, "", 3)
    assert history(deal)[2:] == [
        ("status", "lost", "open", "alice"),
        ("probability", "0", "30", "alice"),
    ]


def test_reopen_restores_a_probability_set_by_hand(deal, rep):
    update_opportunity(deal, by=rep, version=deal.version, probability=55)
    mark_won(deal, by=rep)

    reopen(deal, by=rep)

    deal.refresh_from_db()
    assert (deal.probability, deal.probability_is_manual) == (55, True)


def test_reopen_refuses_an_open_deal(deal, rep):
    with pytest.raises(InvalidTransition):
        reopen(deal, by=rep)


def test_update_records_amount_probability_and_close_date(deal, rep):
    old_close_date = deal.expected_close_date.isoformat()

    update_opportunity(
        deal,
        by=rep,
        version=1,
        amount=Decimal("2500.00"),
        probability=35,
        expected_close_date=datetime.date(2031, 5, 1),
        name="Acme renewal (3 years)",
    )

    deal.refresh_from_db()
    assert (deal.name, deal.amount, deal.probability, deal.probability_is_manual) == (
        "Acme renewal (3 years)",
        Decimal("2500.00"),
        35,
        True,
    )
    assert history(deal) == [
        ("amount", "1000.00", "2500.00", "alice"),
        ("probability", "30", "35", "alice"),
        ("expected_close_date", old_close_date, "2031-05-01", "alice"),
    ]


def test_a_managers_own_deal_is_filed_under_the_team_they_run(manager, rep, north, stages):
    # Mia runs North without being one of its members.
    opportunity = create_opportunity(
        by=manager, stage=stages[0], name="Mia's own", expected_close_date=datetime.date(2030, 1, 1)
    )
    handed_over = create_opportunity(
        by=rep, stage=stages[0], name="Alice's", expected_close_date=datetime.date(2030, 1, 1)
    )
    update_opportunity(handed_over, by=manager, version=handed_over.version, owner=manager)

    assert (opportunity.team, Opportunity.objects.get(pk=handed_over.pk).team) == (north, north)


def test_update_team_follows_the_owner(deal, rep, other_rep):
    update_opportunity(deal, by=rep, version=1, owner=other_rep)

    deal.refresh_from_db()
    assert (deal.owner, deal.team) == (other_rep, other_rep.team)


def test_update_stage_change_brings_the_stage_probability(deal, rep, stages):
    update_opportunity(deal, by=rep, version=1, stage=stages[2])

    deal.refresh_from_db()
    assert (deal.stage, deal.probability) == (stages[2], 90)
    assert [row[0] for row in history(deal)] == ["stage", "probability"]


def test_second_save_of_the_same_version_is_refused_and_overwrites_nothing(deal, rep, teammate):
    # Alice and Bob both open the deal at version 1.
    alices_copy = Opportunity.objects.get(pk=deal.pk)
    bobs_copy = Opportunity.objects.get(pk=deal.pk)

    update_opportunity(alices_copy, by=rep, version=1, amount=Decimal("2000"))
    with pytest.raises(ConcurrentEditError) as refused:
        update_opportunity(bobs_copy, by=teammate, version=1, amount=Decimal("9999"))

    assert (refused.value.current.amount, refused.value.current.version) == (Decimal("2000"), 2)
    deal.refresh_from_db()
    assert (deal.amount, deal.version) == (Decimal("2000.00"), 2)
    assert history(deal) == [("amount", "1000.00", "2000.00", "alice")]


def test_a_stale_form_with_no_changes_is_still_refused(deal, rep):
    update_opportunity(deal, by=rep, version=1, amount=Decimal("2000"))
    stale = Opportunity.objects.get(pk=deal.pk)

    with pytest.raises(ConcurrentEditError):
        update_opportunity(stale, by=rep, version=1, amount=Decimal("2000"))


def test_a_transition_on_a_stale_copy_is_refused(deal, rep, stages):
    stale = Opportunity.objects.get(pk=deal.pk)
    move_opportunity(deal, stage=stages[1], by=rep)

    with pytest.raises(ConcurrentEditError):
        mark_won(stale, by=rep)

    deal.refresh_from_db()
    assert (deal.status, deal.stage, OpportunityChange.objects.filter(field="status").count()) == (
        "open",
        stages[1],
        0,
    )


def test_update_refuses_fields_that_have_their_own_transition(deal, rep):
    with pytest.raises(TypeError):
        update_opportunity(deal, by=rep, version=1, status="won")


def test_update_refuses_a_stage_outside_the_pipeline(deal, rep, stages):
    with pytest.raises(InvalidTransition):
        update_opportunity(deal, by=rep, version=1, pipeline=make_pipeline(), stage=stages[1])


def test_a_deal_handed_over_says_so_in_its_history(deal, rep, teammate, manager):
    update_opportunity(deal, by=manager, version=deal.version, owner=teammate)

    assert history(deal)[-1] == ("owner", "Alice Rep", "Bob Rep", "mia")
