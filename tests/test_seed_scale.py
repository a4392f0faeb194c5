"""seed_scale builds data that hangs together, so that benchmarks measure believable pages."""

import importlib
import itertools
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery

from activities.models import Activity
from crm.models import Company, Contact, Team, User
from forecasting.models import Quota
from leads.models import Lead, LeadConversion
from loadtest.management.commands.seed_scale import Command
from opportunities.models import Opportunity, OpportunityChange
from tests.factories import make_company


def test_seed_scale_tiny_builds_consistent_data(db):
    call_command("seed_scale", scale=0.0002, seed=7, stdout=StringIO())

    assert Team.objects.count() == 2
    assert User.objects.filter(username__startswith="scale-").count() == 2 + 2 * 2
    assert Company.objects.count() == 20
    assert Contact.objects.count() == 60
    assert Lead.objects.count() == 200
    assert Opportunity.objects.count() == 50
    assert Activity.objects.count() == 200
    # Each team and each rep: this month and this quarter.
    assert Quota.objects.count() == 2 * 2 * (1 + 2)
    # Copied in rather than saved, the companies still carry the key they are matched on.
    assert not Company.objects.filter(name_key="").exists()

    # Every owned record sits in its owner's team; per-team counts add up to the whole.
    for model in (Company, Contact, Lead, Opportunity, Activity):
        assert not model.objects.exclude(owner=None).exclude(team=F("owner__team")).exists()
        per_team = model.objects.values("team").annotate(n=Count("pk"))
        assert sum(row["n"] for row in per_team) == model.objects.count()

    # Every deal's last stage change ends at its current stage.
    last_stage = Subquery(
        OpportunityChange.objects.filter(opportunity=OuterRef("pk"), to_stage__isnull=False)
        .order_by("-changed_at", "-pk")
        .values("to_stage")[:1]
    )
    deals = Opportunity.objects.annotate(last_stage=last_stage)
    assert all(deal.last_stage == deal.stage_id for deal in deals)
    # Closed deals have a status row, a close date and the matching probability.
    assert not Opportunity.objects.won().exclude(probability=100).exists()
    assert not Opportunity.objects.lost().filter(lost_reason__isnull=True).exists()
    closed = Opportunity.objects.exclude(status=Opportunity.Status.OPEN)
    assert closed.filter(closed_date__isnull=True).count() == 0
    assert OpportunityChange.objects.filter(field="status").count() == closed.count()
    # Each stay in a stage ends where the history says (as the migration works it out), and
    # no closed deal is still in one.
    ends = list(OpportunityChange.objects.order_by("pk").values_list("pk", "left_at", "moved_on"))
    OpportunityChange.objects.update(left_at=None, moved_on=None)
    importlib.import_module("opportunities.migrations.0007_stay_ends").record_stay_ends(apps, None)
    assert (
        list(OpportunityChange.objects.order_by("pk").values_list("pk", "left_at", "moved_on"))
        == ends
    )
    assert any(moved_on is False for _pk, _left_at, moved_on in ends)
    assert not OpportunityChange.objects.filter(
        opportunity__in=closed, field__in=OpportunityChange.ENTERS_STAGE, left_at=None
    ).exists()
    # Only converted leads have a conversion.
    assert LeadConversion.objects.exclude(lead__status=Lead.Status.CONVERTED).count() == 0


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="indexes and foreign keys set aside on PostgreSQL"
)


def schema() -> list[tuple]:
    """Every index and constraint of the app's tables, as PostgreSQL would recreate it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema()"
            " UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
            " ORDER BY 1, 2, 3"
        )
        return cursor.fetchall()


@postgresql_only
def test_seed_scale_leaves_indexes_and_foreign_keys_as_they_were(db):
    before = schema()
    assert any("gin_trgm_ops" in definition for *_, definition in before)

    call_command("seed_scale", scale=0.0002, seed=7, stdout=StringIO())

    assert schema() == before


@postgresql_only
def test_seed_scale_restores_indexes_and_foreign_keys_when_a_load_fails(db, monkeypatch):
    before = schema()
    lead_rows = Command.lead_rows

    def failing_rows(self, total):
        yield from itertools.islice(lead_rows(self, total), 10)
        raise RuntimeError("generator failed")

    monkeypatch.setattr(Command, "lead_rows", failing_rows)

    with pytest.raises(RuntimeError, match="generator failed"):
        call_command("seed_scale", scale=0.0002, seed=7, stdout=StringIO())

    assert schema() == before


def test_seed_scale_refuses_a_database_that_holds_records(db):
    make_company(name="A real customer")

    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_scale", scale=0.0002, seed=7, stdout=StringIO())

    assert Company.objects.count() == 1
