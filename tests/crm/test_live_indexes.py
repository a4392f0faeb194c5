"""On PostgreSQL the lists, the board and My day still read their indexes now that every query
of the default manager leaves the trashed rows out: those indexes hold the live rows only
(``WHERE deleted_at IS NULL``), so that what was answered from the index alone still is."""

import pytest
from django.db import connection
from django.db.models import Sum

from activities.models import Activity
from crm.filters import industries_visible_to
from leads.models import Lead
from opportunities.models import Opportunity
from tests.plans import plan_of


def index_only_plan_of(queryset) -> str:
    """The plan when only index-only scans are allowed: whether the query can be answered from
    an index alone, whatever an empty table's costs tie on between indexes."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    return plan_of(queryset)


def only_index(model, name: str) -> None:
    """Drop, for this test's transaction only, every other index of ``model``'s table that no
    constraint holds: the plan then shows whether the query can read ``name``, whatever an
    empty table's costs tie on between indexes."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname <> %s"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [table, name],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')


pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner and partial indexes"
)


def test_a_board_column_reads_the_open_deals_index(stages):
    column = Opportunity.objects.open().filter(stage=stages[0])
    only_index(Opportunity, "opp_open_board_idx")

    plan = plan_of(column.order_by("expected_close_date", "pk")[:25])

    assert "opp_open_board_idx" in plan


def test_the_board_totals_read_the_covering_index(pipeline):
    totals = Opportunity.objects.open().filter(pipeline=pipeline)

    plan = index_only_plan_of(totals.order_by().values("stage").annotate(amount=Sum("amount")))

    assert "Index Only Scan using opp_open_totals_live_idx" in plan


def test_my_days_new_leads_are_read_from_the_index_alone(rep):
    new = Lead.objects.filter(status=Lead.Status.NEW, owner=rep, team=rep.team)
    new = new.order_by("created_at", "pk")

    plan = index_only_plan_of(new.values("pk")[:5])

    assert "Index Only Scan using lead_new_owner_idx" in plan


def test_my_days_pending_activities_are_read_from_the_index_alone(rep):
    pending = Activity.objects.pending().filter(owner=rep)

    plan = index_only_plan_of(pending.order_by("due_date", "due_time", "pk").values("pk")[:5])

    assert "Index Only Scan using activity_pending_owner_idx" in plan


def test_the_deal_list_reads_its_order_from_the_index(db):
    only_index(Opportunity, "opp_close_order_idx")
    plan = plan_of(Opportunity.objects.order_by("expected_close_date", "pk")[:25])

    assert "opp_close_order_idx" in plan


def test_the_industries_are_skipped_through_the_live_index(admin_user, django_assert_num_queries):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT MIN(industry) FROM crm_company "
            "WHERE industry > '' AND deleted_at IS NULL"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "company_industry_idx" in plan
    assert industries_visible_to(admin_user) == []


def test_a_trashed_deal_is_found_by_its_batch_index(db):
    only_index(Opportunity, "opp_trash_idx")
    plan = plan_of(
        Opportunity.with_trash.filter(trash_batch="00000000-0000-0000-0000-000000000000")
    )

    assert "opp_trash_idx" in plan
