"""Each stage of a pipeline has a place of its own: two stages never share an order, so the
board, the reports and the settings pages show them in the same sequence."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from opportunities.models import Stage
from tests.factories import make_pipeline, make_stage
from tests.posted import form_data

BEFORE_UNIQUE_ORDER = ("opportunities", "0009_owner_in_history")


def test_two_stages_of_a_pipeline_cannot_share_an_order(pipeline, stages):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_stage(pipeline=pipeline, name="Contract", order=stages[0].order)

    assert list(pipeline.stages.values_list("name", flat=True)) == [
        "Qualification",
        "Proposal",
        "Negotiation",
    ]


def test_stages_of_two_pipelines_may_have_the_same_order(pipeline, stages):
    other = make_pipeline(name="Renewals", stages=("Qualification",))

    assert other.stages.get().order == stages[0].order


def test_the_admin_refuses_a_stage_taking_another_ones_order(admin_client, stages):
    url = reverse("admin:opportunities_stage_change", args=[stages[1].pk])

    data = form_data(admin_client.get(url), marker="order") | {"order": "1"}  # Qualification's

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Stage with this Pipeline and Order already exists." in response.text
    assert Stage.objects.get(pk=stages[1].pk).order == 2


def test_the_admin_refuses_a_new_stage_with_a_taken_order(admin_client, pipeline, stages):
    url = reverse("admin:opportunities_stage_add")
    data = {
        "pipeline": pipeline.pk,
        "name": "Contract",
        "order": "3",
        "probability": "95",
        "forecast_category": "commit",
        "stale_after_days": "7",
    }

    response = admin_client.post(url, data)

    assert "Stage with this Pipeline and Order already exists." in response.text
    assert not Stage.objects.filter(name="Contract").exists()


def test_the_admins_pipeline_page_refuses_two_stages_with_one_order(admin_client, pipeline, stages):
    url = reverse("admin:opportunities_pipeline_change", args=[pipeline.pk])
    data = form_data(admin_client.get(url), marker="name")
    data["stages-2-order"] = ["2"]  # Negotiation onto Proposal's place

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Stage with this Pipeline and Order already exists." in response.text
    assert list(pipeline.stages.values_list("order", flat=True)) == [1, 2, 3]


@pytest.fixture
def executor(transactional_db):
    """A migration executor that leaves the database at the latest migrations whatever
    happens: the tests that run after it expect the current schema."""
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_database_with_tied_stages_migrates_in_the_boards_order(executor):
    """Before the rule, stages could share an order (the admin took any), and the board showed
    them by order and then by id. Migrating keeps that sequence and gives each its own number;
    a pipeline without ties keeps its numbers."""
    executor.migrate([BEFORE_UNIQUE_ORDER])
    old = executor.loader.project_state([BEFORE_UNIQUE_ORDER]).apps
    Pipeline, OldStage = (
        old.get_model("opportunities", "Pipeline"),
        old.get_model("opportunities", "Stage"),
    )
    tied = Pipeline.objects.create(name="Tied", order=5)
    for name, order in [("Demo", 2), ("Intro", 1), ("Trial", 2), ("Offer", 3), ("Won", 7)]:
        OldStage.objects.create(pipeline=tied, name=name, order=order)
    tidy = Pipeline.objects.create(name="Tidy", order=6)
    for name, order in [("First", 10), ("Second", 20)]:
        OldStage.objects.create(pipeline=tidy, name=name, order=order)

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    def stages_of(name):
        return list(
            Stage.objects.filter(pipeline__name=name).order_by("order").values_list("name", "order")
        )

    assert stages_of("Tied") == [("Intro", 1), ("Demo", 2), ("Trial", 3), ("Offer", 4), ("Won", 7)]
    assert stages_of("Tidy") == [("First", 10), ("Second", 20)]
