"""The rules the settings keep: a pipeline's stages are numbered 1, 2, 3... in the order given,
in one change; a stage in use is not deleted; a stage's new probability reaches the deals that
follow it; a team takes in only people who are in none. Every change retires the figures."""

from types import SimpleNamespace

import pytest

from crm.models import User
from infra.report_cache import EPOCH, versions
from opportunities.models import LostReason, Opportunity, OpportunityChange, Stage
from setup import services
from tests.factories import make_lost_reason, make_opportunity, make_stage, make_user


def board_order(pipeline) -> list[tuple[str, int]]:
    return list(pipeline.stages.order_by("order", "pk").values_list("name", "order"))


def test_reordering_numbers_the_stages_in_the_order_given(pipeline, stages):
    qualification, proposal, negotiation = stages

    services.reorder_stages(pipeline, stage_ids=[negotiation.pk, qualification.pk, proposal.pk])

    assert board_order(pipeline) == [("Negotiation", 1), ("Qualification", 2), ("Proposal", 3)]


def test_reordering_closes_the_gaps_the_admin_left(pipeline, stages):
    for stage, order in zip(stages, [10, 20, 30], strict=True):
        Stage.objects.filter(pk=stage.pk).update(order=order)

    services.reorder_stages(pipeline, stage_ids=[stages[1].pk, stages[0].pk, stages[2].pk])

    assert board_order(pipeline) == [("Proposal", 1), ("Qualification", 2), ("Negotiation", 3)]


@pytest.mark.parametrize(
    "posted",
    [
        pytest.param(lambda stages: [stages[1].pk, stages[0].pk], id="one-left-out"),
        pytest.param(lambda stages: [s.pk for s in stages] + [stages[0].pk], id="one-twice"),
        pytest.param(lambda stages: [s.pk for s in stages[1:]] + [999999], id="another-one"),
    ],
)
def test_an_order_that_does_not_name_each_stage_once_is_refused(pipeline, stages, posted):
    with pytest.raises(services.SetupError):
        services.reorder_stages(pipeline, stage_ids=posted(stages))

    assert board_order(pipeline) == [("Qualification", 1), ("Proposal", 2), ("Negotiation", 3)]


def test_a_stage_moves_one_place_and_stops_at_either_end(pipeline, stages):
    qualification, proposal, negotiation = stages

    services.move_stage(negotiation, step=-1)
    after_up = board_order(pipeline)
    services.move_stage(qualification, step=-1)
    after_top = board_order(pipeline)
    services.move_stage(qualification, step=1)

    assert after_up == [("Qualification", 1), ("Negotiation", 2), ("Proposal", 3)]
    assert after_top == after_up
    assert board_order(pipeline) == [("Negotiation", 1), ("Qualification", 2), ("Proposal", 3)]


def test_a_new_stage_comes_last(pipeline, stages):
    Stage.objects.filter(pk=stages[2].pk).update(order=32767)  # as far as an order goes

    stage = services.add_stage(pipeline, name="Contract", probability=95)

    assert board_order(pipeline)[-2:] == [("Negotiation", 3), ("Contract", 4)]
    assert (stage.probability, stage.forecast_category) == (95, "pipeline")


def test_a_stage_with_deals_is_not_deleted(pipeline, stages, rep):
    make_opportunity(owner=rep, stage=stages[1])

    with pytest.raises(services.SetupError):
        services.delete_stage(stages[1])

    assert pipeline.stages.count() == 3


def test_moving_a_stages_open_deals_records_each_move_and_leaves_closed_ones(stages, rep, manager):
    open_deal = make_opportunity(owner=rep, stage=stages[0])
    won = make_opportunity(owner=rep, stage=stages[0], status=Opportunity.Status.WON)

    moved = services.move_open_deals(stages[0], to=stages[1], by=manager)

    open_deal.refresh_from_db()
    won.refresh_from_db()
    assert moved == 1
    assert (open_deal.stage, open_deal.probability, open_deal.version) == (stages[1], 60, 2)
    assert open_deal.changes.get(field="stage").changed_by == manager
    assert won.stage == stages[0]


def test_deals_move_to_a_stage_of_their_own_pipeline_only(stages, rep, manager):
    make_opportunity(owner=rep, stage=stages[0])
    elsewhere = make_stage(name="Elsewhere")

    with pytest.raises(services.SetupError):
        services.move_open_deals(stages[0], to=elsewhere, by=manager)


def test_open_deals_that_follow_their_stage_take_its_new_probability(stages, rep, manager):
    following = make_opportunity(owner=rep, stage=stages[1])
    by_hand = make_opportunity(
        owner=rep, stage=stages[1], probability=75, probability_is_manual=True
    )
    lost = make_opportunity(
        owner=rep, stage=stages[1], status=Opportunity.Status.LOST, lost_reason=make_lost_reason()
    )

    followed = services.update_stage(stages[1], by=manager, probability=50)

    assert followed == 1
    following.refresh_from_db()
    assert (following.probability, following.version) == (50, 2)
    change = following.changes.get(field=OpportunityChange.Field.PROBABILITY)
    assert (change.old_value, change.new_value, change.changed_by) == ("60", "50", manager)
    assert Opportunity.objects.get(pk=by_hand.pk).probability == 75
    assert Opportunity.objects.get(pk=lost.pk).probability == 60


def test_a_stage_edit_that_keeps_its_probability_touches_no_deal(stages, rep, manager):
    deal = make_opportunity(owner=rep, stage=stages[1])

    followed = services.update_stage(stages[1], by=manager, name="Proposal sent", probability=60)

    assert followed == 0
    assert Opportunity.objects.get(pk=deal.pk).version == 1
    assert Stage.objects.get(pk=stages[1].pk).name == "Proposal sent"


def test_a_team_takes_in_someone_in_no_team_only(north, south, other_rep):
    newcomer = make_user(username="nora")

    services.add_member(north, user=newcomer)
    with pytest.raises(services.SetupError):
        services.add_member(north, user=other_rep)

    assert User.objects.get(pk=newcomer.pk).team == north
    assert User.objects.get(pk=other_rep.pk).team == south


def test_a_member_taken_out_of_a_team_is_in_none(north, rep, south):
    services.remove_member(north, user=rep)
    with pytest.raises(services.SetupError):
        services.remove_member(south, user=rep)

    assert User.objects.get(pk=rep.pk).team is None


@pytest.fixture
def world(pipeline, stages, rep):
    return SimpleNamespace(
        pipeline=pipeline, stages=stages, rep=rep, reason=make_lost_reason(name="Went quiet")
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda w: services.create_pipeline(name="Renewals"), id="new-pipeline"),
        pytest.param(lambda w: services.rename(w.pipeline, name="Direct"), id="rename"),
        pytest.param(lambda w: services.add_stage(w.pipeline, name="Contract"), id="new-stage"),
        pytest.param(
            lambda w: services.update_stage(w.stages[0], by=w.rep, forecast_category="commit"),
            id="edit-stage",
        ),
        pytest.param(
            lambda w: services.reorder_stages(
                w.pipeline, stage_ids=[stage.pk for stage in reversed(w.stages)]
            ),
            id="reorder",
        ),
        pytest.param(lambda w: services.move_stage(w.stages[0], step=1), id="move-stage"),
        pytest.param(lambda w: services.delete_stage(w.stages[2]), id="delete-stage"),
        pytest.param(lambda w: services.add_reference_item(LostReason, name="Mood"), id="add"),
        pytest.param(lambda w: services.set_active(w.reason, active=False), id="retire"),
        pytest.param(lambda w: services.remove_member(w.rep.team, user=w.rep), id="member"),
    ],
)
def test_every_settings_change_retires_the_cached_figures(
    world, change, django_capture_on_commit_callbacks
):
    before = versions([EPOCH])

    with django_capture_on_commit_callbacks(execute=True):
        change(world)

    assert versions([EPOCH]) != before
