"""A manager sets up the pipelines: names them, and puts each one's stages in the order the
board shows them, with their probability, forecast category and stale days."""

import pytest
from django.urls import reverse

from opportunities.models import Opportunity, Pipeline, Stage
from tests.factories import make_lost_reason, make_opportunity, make_pipeline
from tests.posted import form_data


def names_in_order(pipeline) -> list[str]:
    return list(pipeline.stages.order_by("order").values_list("name", flat=True))


def page_of(pipeline) -> str:
    return reverse("setup:pipeline_detail", args=[pipeline.pk])


@pytest.mark.parametrize("rows", [1, 3])
def test_the_pipeline_list_counts_no_query_per_pipeline(
    manager_client, rows, django_assert_num_queries
):
    Pipeline.objects.all().delete()
    for number in range(rows):
        make_pipeline(name=f"Pipeline {number}")

    # session, user, the pipelines with their number of stages
    with django_assert_num_queries(3):
        response = manager_client.get(reverse("setup:pipeline_list"))

    assert response.text.count("3</td>") == rows


def test_a_new_pipeline_opens_on_its_empty_stage_list(manager_client):
    response = manager_client.post(reverse("setup:pipeline_create"), {"name": "Renewals"})

    pipeline = Pipeline.objects.get(name="Renewals")
    assert response["Location"] == page_of(pipeline)
    page = manager_client.get(response["Location"]).text
    assert "Pipeline “Renewals” was created: add its stages." in page
    assert "No stage yet: add the first one." in page
    assert not pipeline.is_default


def test_a_pipeline_name_in_use_is_refused_beside_the_field(manager_client, pipeline):
    response = manager_client.post(reverse("setup:pipeline_create"), {"name": "Sales"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Pipeline with this Name already exists."]}
    assert Pipeline.objects.filter(name="Sales").count() == 1


def test_renaming_a_pipeline_keeps_its_stages_and_deals(manager_client, pipeline, stages, rep):
    deal = make_opportunity(owner=rep, stage=stages[0])
    url = reverse("setup:pipeline_rename", args=[pipeline.pk])

    response = manager_client.post(url, {"name": "Direct business"})

    assert response["Location"] == page_of(pipeline)
    assert Opportunity.objects.get(pk=deal.pk).pipeline.name == "Direct business"
    assert names_in_order(Pipeline.objects.get(pk=pipeline.pk)) == [
        "Qualification",
        "Proposal",
        "Negotiation",
    ]


@pytest.mark.parametrize("rows", [1, 3])
def test_the_stage_list_counts_no_query_per_stage(
    manager_client, rep, rows, django_assert_num_queries
):
    pipeline = make_pipeline(name="Renewals", stages=[f"Step {n}" for n in range(rows)])
    for stage in pipeline.stages.all():
        make_opportunity(owner=rep, stage=stage)

    # session, user, the pipeline, its stages with their open deals counted
    with django_assert_num_queries(4):
        response = manager_client.get(page_of(pipeline))

    assert response.text.count(" · 1 open deal</div>") == rows


def test_the_stage_list_reads_as_the_board(manager_client, pipeline, stages, rep):
    make_opportunity(owner=rep, stage=stages[1])
    make_opportunity(owner=rep, stage=stages[1])
    Stage.objects.filter(pk=stages[2].pk).update(forecast_category="commit", stale_after_days=1)

    page = manager_client.get(page_of(pipeline)).text

    assert page.index("Qualification") < page.index("Proposal") < page.index("Negotiation")
    assert "60 % · Pipeline · stale after 14 days · 2 open deals</div>" in page
    assert "90 % · Commit · stale after 1 day · 0 open deals</div>" in page


def test_the_arrows_move_a_stage_without_javascript(manager_client, pipeline, stages):
    url = reverse("setup:stage_move", args=[stages[2].pk])

    response = manager_client.post(url, {"direction": "up"})

    assert response["Location"] == f"{page_of(pipeline)}#stage-{stages[2].pk}"
    assert names_in_order(pipeline) == ["Qualification", "Negotiation", "Proposal"]
    page = manager_client.get(response["Location"]).text
    assert "“Negotiation” is now number 2 of 3." in page


def test_the_arrows_with_htmx_send_back_the_list_and_its_message(
    manager_client, pipeline, stages, htmx_headers
):
    url = reverse("setup:stage_move", args=[stages[0].pk])

    response = manager_client.post(url, {"direction": "down"}, headers=htmx_headers)

    html = response.text
    assert response.status_code == 200
    assert html.startswith('\n<div id="stage-list"')
    assert "<html" not in html
    assert html.index(">Proposal<") < html.index(">Qualification<") < html.index(">Negotiation<")
    assert 'hx-swap-oob="beforeend:#messages"' in html  # the message, as a toast
    assert "“Qualification” is now number 2 of 3." in html


def test_a_stage_moves_only_up_or_down(manager_client, pipeline, stages):
    url = reverse("setup:stage_move", args=[stages[0].pk])

    response = manager_client.post(url, {"direction": "sideways"})

    assert response.status_code == 400
    assert names_in_order(pipeline) == ["Qualification", "Proposal", "Negotiation"]


def test_a_dragged_order_is_saved_whole(manager_client, pipeline, stages, htmx_headers):
    url = reverse("setup:stage_reorder", args=[pipeline.pk])
    order = [stages[2].pk, stages[0].pk, stages[1].pk]

    response = manager_client.post(url, {"stage": order}, headers=htmx_headers)

    assert names_in_order(pipeline) == ["Negotiation", "Qualification", "Proposal"]
    assert "The stages are in their new order." in response.text


def test_an_order_dragged_before_a_stage_was_added_is_refused(
    manager_client, pipeline, stages, htmx_headers
):
    url = reverse("setup:stage_reorder", args=[pipeline.pk])
    order = [stages[2].pk, stages[0].pk, stages[1].pk]
    manager_client.post(reverse("setup:stage_create", args=[pipeline.pk]), new_stage("Contract"))

    response = manager_client.post(url, {"stage": order}, headers=htmx_headers)

    assert names_in_order(pipeline) == ["Qualification", "Proposal", "Negotiation", "Contract"]
    assert "The stages changed while you were moving them" in response.text
    assert ">Contract<" in response.text


def new_stage(name, **fields):
    return {
        "name": name,
        "probability": "95",
        "forecast_category": "commit",
        "stale_after_days": "5",
        **fields,
    }


def test_a_new_stage_comes_last_on_the_board(manager_client, pipeline, stages):
    url = reverse("setup:stage_create", args=[pipeline.pk])

    response = manager_client.post(url, new_stage("Contract"))

    assert response["Location"] == page_of(pipeline)
    assert names_in_order(pipeline)[-1] == "Contract"
    stage = pipeline.stages.get(name="Contract")
    assert (stage.probability, stage.forecast_category, stage.stale_after_days) == (
        95,
        "commit",
        5,
    )


@pytest.mark.parametrize(
    "fields, errors",
    [
        (
            {"probability": "101"},
            {"probability": ["Ensure this value is less than or equal to 100."]},
        ),
        (
            {"probability": "-1", "stale_after_days": ""},
            {
                "probability": ["Ensure this value is greater than or equal to 0."],
                "stale_after_days": ["This field is required."],
            },
        ),
        ({"name": "proposal"}, {"name": ["This pipeline has a stage of that name already."]}),
        ({"name": " "}, {"name": ["This field is required."]}),
        (
            {"forecast_category": "maybe"},
            {
                "forecast_category": [
                    "Select a valid choice. maybe is not one of the available choices."
                ]
            },
        ),
    ],
)
def test_a_stage_form_shows_its_errors_beside_the_fields(
    manager_client, pipeline, stages, fields, errors
):
    url = reverse("setup:stage_create", args=[pipeline.pk])

    response = manager_client.post(url, new_stage("Contract") | fields)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert pipeline.stages.count() == 3


def test_a_stage_name_may_be_used_again_in_another_pipeline(manager_client, pipeline, stages):
    other = make_pipeline(name="Renewals", stages=())

    manager_client.post(reverse("setup:stage_create", args=[other.pk]), new_stage("Proposal"))

    assert names_in_order(other) == ["Proposal"]


def test_a_stages_new_probability_reaches_the_deals_that_follow_it(manager_client, stages, rep):
    deals = [make_opportunity(owner=rep, stage=stages[1]) for _ in range(2)]
    url = reverse("setup:stage_edit", args=[stages[1].pk])
    edited = new_stage("Proposal sent", probability="45", forecast_category="best_case")

    response = manager_client.post(url, edited)

    page = manager_client.get(response["Location"]).text
    assert "Stage “Proposal sent” was saved. 2 open deals took its new probability." in page
    stage = Stage.objects.get(pk=stages[1].pk)
    assert (stage.name, stage.probability, stage.forecast_category, stage.order) == (
        "Proposal sent",
        45,
        "best_case",
        2,
    )
    assert [Opportunity.objects.get(pk=deal.pk).probability for deal in deals] == [45, 45]


def test_a_deal_form_loaded_before_its_stage_changed_probability_is_refused(
    rep_client, manager_client, stages, rep
):
    deal = make_opportunity(name="Acme renewal", owner=rep, stage=stages[1])
    edit_url = reverse("opportunities:edit", args=[deal.pk])
    loaded = form_data(rep_client.get(edit_url))
    stage_url = reverse("setup:stage_edit", args=[stages[1].pk])
    manager_client.post(stage_url, new_stage("Proposal", probability="45"))

    refused = rep_client.post(edit_url, loaded | {"name": "Acme renewal, 2 years"})

    assert "Someone else saved this deal while you were editing it" in refused.text
    deal = Opportunity.objects.get(pk=deal.pk)
    assert (deal.name, deal.probability, deal.probability_is_manual) == ("Acme renewal", 45, False)


def test_a_stage_keeps_its_own_name_when_edited(manager_client, stages):
    url = reverse("setup:stage_edit", args=[stages[1].pk])

    manager_client.post(url, new_stage("Proposal", stale_after_days="3"))

    assert Stage.objects.get(pk=stages[1].pk).stale_after_days == 3


def test_a_stage_without_deals_is_deleted_and_the_rest_keep_their_order(
    manager_client, pipeline, stages
):
    url = reverse("setup:stage_delete", args=[stages[1].pk])

    asked = manager_client.get(url)
    response = manager_client.post(url)

    assert "No deal is at this stage." in asked.text
    assert response["Location"] == page_of(pipeline)
    assert names_in_order(pipeline) == ["Qualification", "Negotiation"]


def test_a_stage_with_open_deals_offers_to_move_them_before_it_is_deleted(
    manager_client, pipeline, stages, rep, other_rep
):
    mine = make_opportunity(owner=rep, stage=stages[1])
    theirs = make_opportunity(owner=other_rep, stage=stages[1])
    delete_url = reverse("setup:stage_delete", args=[stages[1].pk])

    asked = manager_client.get(delete_url)
    refused = manager_client.post(delete_url)
    moved = manager_client.post(
        reverse("setup:stage_move_deals", args=[stages[1].pk]), {"to": stages[2].pk}
    )
    asked_again = manager_client.get(moved["Location"])
    deleted = manager_client.post(delete_url)

    assert "Deals are at this stage, so it cannot be deleted yet:" in asked.text
    assert "2 open deals" in asked.text
    assert "Move the open deals" in asked.text
    assert "Deals are at this stage: it can be deleted once it has none." in refused.text
    assert moved["Location"] == delete_url
    assert "2 open deals moved to Negotiation." in asked_again.text
    assert deleted["Location"] == page_of(pipeline)
    assert names_in_order(pipeline) == ["Qualification", "Negotiation"]
    assert [Opportunity.objects.get(pk=deal.pk).stage for deal in (mine, theirs)] == [
        stages[2],
        stages[2],
    ]


def test_the_deals_of_a_stage_move_within_its_pipeline_only(manager_client, stages, rep):
    deal = make_opportunity(owner=rep, stage=stages[1])
    elsewhere = make_pipeline(name="Renewals").stages.first()

    response = manager_client.post(
        reverse("setup:stage_move_deals", args=[stages[1].pk]), {"to": elsewhere.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "to": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert Opportunity.objects.get(pk=deal.pk).stage == stages[1]


def test_a_stage_where_deals_were_won_or_lost_stays(manager_client, pipeline, stages, rep):
    make_opportunity(
        owner=rep,
        stage=stages[1],
        status=Opportunity.Status.LOST,
        lost_reason=make_lost_reason(),
    )

    asked = manager_client.get(reverse("setup:stage_delete", args=[stages[1].pk]))

    assert "1 won or lost deal, which the reports count at the stage it closed at" in asked.text
    assert "Move the open deals" not in asked.text
    assert 'class="btn btn-danger"' not in asked.text
    assert pipeline.stages.count() == 3
