"""A rep sees which open deals may slip, and why: a close date pushed back twice, an amount
cut, no activity for longer than the stage allows, or longer in the stage than most deals that
were won from it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Opportunity, OpportunityChange
from opportunities.risk import attach_risks, risk_annotations
from opportunities.services import create_opportunity, update_opportunity

BOARD = reverse("opportunities:board")


def risks(deal, user) -> dict[str, str]:
    annotated = (
        Opportunity.objects.filter(pk=deal.pk)
        .with_activity_badges()
        .select_related("stage")
        .annotate(**risk_annotations())
    )
    return {risk.code: risk.reason for risk in attach_risks(annotated, user=user)[0].risks}


def edit(deal, by, **changes):
    deal = Opportunity.objects.get(pk=deal.pk)
    return update_opportunity(deal, by=by, version=deal.version, **changes)


@pytest.fixture
def deal(rep, stages):
    return create_opportunity(
        by=rep,
        stage=stages[0],
        name="Acme renewal",
        amount=Decimal("5000"),
        expected_close_date=timezone.localdate() + datetime.timedelta(days=10),
    )


def test_a_close_date_pushed_back_twice_is_a_risk(rep, deal):
    first = timezone.localdate() + datetime.timedelta(days=20)
    edit(deal, rep, expected_close_date=first)
    assert "pushed" not in risks(deal, rep)  # once is planning, not slipping

    edit(deal, rep, expected_close_date=first + datetime.timedelta(days=10))

    assert risks(deal, rep)["pushed"] == "Close date pushed back 2 times."


def test_a_close_date_pulled_in_is_no_push(rep, deal):
    edit(deal, rep, expected_close_date=timezone.localdate() + datetime.timedelta(days=40))
    edit(deal, rep, expected_close_date=timezone.localdate() + datetime.timedelta(days=5))

    assert "pushed" not in risks(deal, rep)


def test_an_amount_cut_is_a_risk_and_a_raise_is_not(rep, deal, teammate, stages):
    edit(deal, rep, amount=Decimal("12000"))
    assert "cut" not in risks(deal, rep)

    edit(deal, rep, amount=Decimal("4000"))

    assert risks(deal, rep)["cut"] == "Amount cut since it was first set."


def _won_stays(stage, owner, days: list[int]):
    """Deals won after staying ``days`` in ``stage``, their stays ended last week."""
    left = timezone.now() - datetime.timedelta(days=7)
    for number, stay in enumerate(days):
        won = create_opportunity(
            by=owner, stage=stage, name=f"Won {number}", expected_close_date=left.date()
        )
        Opportunity.objects.filter(pk=won.pk).update(
            status=Opportunity.Status.WON, closed_date=left.date()
        )
        OpportunityChange.objects.filter(opportunity=won).update(
            changed_at=left - datetime.timedelta(days=stay), left_at=left, moved_on=True
        )


def _entered(deal, days_ago: int):
    OpportunityChange.objects.filter(opportunity=deal).update(
        changed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def test_longer_in_the_stage_than_most_won_deals_is_a_risk(rep, deal, stages):
    # Her deals won from the first stage after 1, 2, 3, 4 and 5 days: 75 % left within 4.
    _won_stays(stages[0], rep, [1, 2, 3, 4, 5])
    _entered(deal, 6)

    assert risks(deal, rep)["slow"] == (
        "6 days in this stage; 75% of the deals won from it left it within 4."
    )


def test_a_deal_within_the_usual_stay_is_not_slow(rep, deal, stages):
    _won_stays(stages[0], rep, [1, 2, 3, 4, 5])
    _entered(deal, 3)

    assert "slow" not in risks(deal, rep)


def test_too_few_won_deals_say_nothing_of_the_usual_stay(rep, deal, stages):
    _won_stays(stages[0], rep, [1, 2, 3, 4])
    _entered(deal, 30)

    assert "slow" not in risks(deal, rep)


def test_only_the_won_deals_the_viewer_may_see_are_the_yardstick(
    rep, other_rep, manager, deal, stages
):
    _won_stays(stages[0], other_rep, [1, 1, 1, 1, 1])
    _entered(deal, 6)

    assert "slow" not in risks(deal, rep)
    assert "slow" not in risks(deal, manager)  # another team's wins


def test_a_managers_yardstick_is_the_teams_won_deals(rep, teammate, manager, deal, stages):
    _won_stays(stages[0], teammate, [1, 2, 3, 4, 5])
    _entered(deal, 6)

    assert "slow" not in risks(deal, rep)  # the teammate's wins are not hers to see
    assert risks(deal, manager)["slow"].startswith("6 days in this stage")


def test_no_activity_for_longer_than_the_stage_allows_is_a_risk(rep, deal, stages):
    stages[0].stale_after_days = 14
    stages[0].save(update_fields=["stale_after_days"])
    Opportunity.objects.filter(pk=deal.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )

    assert risks(deal, rep)["stale"] == "No activity for 20 days; its stage allows 14 days."


def test_the_board_and_the_deal_page_say_why(rep_client, rep, deal):
    first = timezone.localdate() + datetime.timedelta(days=20)
    edit(deal, rep, expected_close_date=first)
    edit(deal, rep, expected_close_date=first + datetime.timedelta(days=10), amount=Decimal("100"))

    board = rep_client.get(BOARD).content.decode()
    page = rep_client.get(deal.get_absolute_url()).content.decode()

    assert "At risk" in board
    assert "Close date pushed back 2 times. Amount cut since it was first set." in board
    assert 'data-risk="pushed"' in page and 'data-risk="cut"' in page


def test_a_closed_deal_is_at_no_risk(rep, deal):
    first = timezone.localdate() + datetime.timedelta(days=20)
    edit(deal, rep, expected_close_date=first)
    edit(deal, rep, expected_close_date=first + datetime.timedelta(days=10))
    Opportunity.objects.filter(pk=deal.pk).update(
        status=Opportunity.Status.WON, closed_date=timezone.localdate()
    )

    assert risks(deal, rep) == {}
