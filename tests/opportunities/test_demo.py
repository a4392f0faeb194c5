import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from crm import demo as core_demo
from opportunities import demo
from opportunities.models import LostReason, Opportunity, OpportunityChange, Pipeline


def test_default_pipeline_and_lost_reasons_are_seeded(db):
    pipeline = Pipeline.objects.get(is_default=True)

    stages = list(
        pipeline.stages.order_by("order").values_list(
            "name", "probability", "forecast_category", "stale_after_days"
        )
    )
    assert stages == [
        ("Qualification", 10, "pipeline", 14),
        ("Needs analysis", 20, "pipeline", 14),
        ("Proposal preparation", 40, "best_case", 10),
        ("Contract negotiation", 70, "commit", 7),
    ]
    assert list(LostReason.objects.order_by("name").values_list("name", flat=True)) == [
        "Competitor",
        "No budget",
        "No decision",
        "Price",
        "Product fit",
        "Timing",
    ]


def test_demo_deals_have_history_and_seeding_twice_changes_nothing(db):
    people = core_demo.seed_people()

    demo.seed(people)
    counts = (Opportunity.objects.count(), OpportunityChange.objects.count())
    demo.seed(people)

    assert counts == (Opportunity.objects.count(), OpportunityChange.objects.count())
    assert counts[0] == len(demo.DEALS)
    assert set(Opportunity.objects.values_list("status", flat=True)) == {"open", "won", "lost"}
    lost = Opportunity.objects.lost()
    assert all(deal.lost_reason_id for deal in lost)
    for deal in Opportunity.objects.all():
        last_stage_change = deal.changes.filter(to_stage__isnull=False).first()
        assert last_stage_change.to_stage_id == deal.stage_id


def test_demo_deals_are_created_before_they_close(db):
    people = core_demo.seed_people()

    demo.seed(people)

    closed = Opportunity.objects.exclude(status="open")
    assert closed.exists()
    for deal in closed:
        created = timezone.localdate(deal.created_at)
        assert created <= deal.closed_date, deal.name
        assert timezone.localdate(deal.changes.order_by("changed_at").last().changed_at) == (
            deal.closed_date
        )
    for deal in Opportunity.objects.all():
        assert deal.created_at == deal.changes.order_by("changed_at").first().changed_at


def test_demo_has_deals_whose_close_date_slipped(db):
    people = core_demo.seed_people()

    demo.seed(people)

    slipped = OpportunityChange.objects.filter(field="expected_close_date")
    assert sorted(slipped.values_list("opportunity__name", flat=True)) == sorted(demo.SLIPPED)
    for change in slipped:
        pushed = datetime.date.fromisoformat(change.new_value) - datetime.date.fromisoformat(
            change.old_value
        )
        assert pushed.days == demo.SLIPPED[change.opportunity.name]


def test_demo_history_dates_a_change_of_probability_with_the_move_that_made_it(db):
    people = core_demo.seed_people()

    demo.seed(people)

    lost = Opportunity.objects.filter(status="lost").first()
    status, probability = (
        lost.changes.get(field="status"),
        lost.changes.filter(field="probability").order_by("pk").last(),
    )
    assert status.changed_at == probability.changed_at
    assert timezone.localdate(status.changed_at) == lost.closed_date


def test_demo_history_ends_each_stay_when_its_dated_history_says(db):
    demo.seed(core_demo.seed_people())
    recorded = list(OpportunityChange.objects.order_by("pk").values_list("pk", "left_at"))

    OpportunityChange.objects.update(left_at=None, moved_on=None)
    migration = importlib.import_module("opportunities.migrations.0007_stay_ends")
    migration.record_stay_ends(apps, schema_editor=None)

    assert list(OpportunityChange.objects.order_by("pk").values_list("pk", "left_at")) == recorded
    assert any(left_at is not None for _pk, left_at in recorded)
