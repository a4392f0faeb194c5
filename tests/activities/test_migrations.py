"""Activity moved from the core app (crm) to its own app (activities), keeping its table
crm_activity: a database migrated from the old layout keeps every activity, what each one is
about, and the permissions granted on activities."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from activities.models import Activity
from crm.models import Company, Contact, User
from leads.models import Lead
from opportunities.models import Opportunity

# The last migrations before the move (crm.0014 and activities.0001 are the move).
BEFORE_THE_MOVE = {
    "crm": "0013_merge_industry_and_my_day_indexes",
    "leads": "0007_report_period_indexes",
    "opportunities": "0009_owner_in_history",
}
# Apps made after the move whose first migration stands on it (on the activities app, or on a
# later crm migration).
AFTER_THE_MOVE = ("mail", "forecasting")
# What an activity is, column by column, compared before and after the move.
ROW = (
    "id",
    "kind",
    "subject",
    "notes",
    "due_date",
    "due_time",
    "done_at",
    "done_by_id",
    "outcome",
    "owner_id",
    "team_id",
    "lead_id",
    "opportunity_id",
    "contact_id",
    "company_id",
    "created_at",
)


def migrate(executor: MigrationExecutor, targets) -> None:
    executor.loader.build_graph()  # reads which migrations are applied now
    executor.migrate(targets)


def old_layout(executor: MigrationExecutor) -> list[tuple[str, str]]:
    """Every app at its latest migration except the three the move touches, which are at
    their last one before it; the activities app is not among them: it did not exist (nor
    the apps whose tables point at activities, which came after it)."""
    return [
        (app, BEFORE_THE_MOVE.get(app, name))
        for app, name in executor.loader.graph.leaf_nodes()
        if app not in ("activities", *AFTER_THE_MOVE)
    ]


@pytest.fixture
def executor(transactional_db):
    """A migration executor on the test database, which it leaves at the latest migrations
    whatever happens in the test: the tests that run after it expect the current schema."""
    executor = MigrationExecutor(connection)
    yield executor
    migrate(executor, executor.loader.graph.leaf_nodes())


def test_a_database_holding_activities_from_the_old_layout_keeps_every_row(executor):
    """A database holding activities from the old layout keeps every row.

    The database goes back to before the move (Activity in crm, the activities app not
    migrated at all) and is filled through the models of that time: an activity about each
    kind of record, and a permission on crm.activity granted to a rep. Migrated to the
    latest migrations, the activities app reads the same rows, with the same ids and links,
    and the rep's permission is now on activities.activity.
    """
    migrate(
        executor,
        [*old_layout(executor), ("activities", None), *((app, None) for app in AFTER_THE_MOVE)],
    )
    old = executor.loader.project_state(old_layout(executor)).apps

    # Olga of team North works a lead, a deal, a contact and a company.
    team = old.get_model("crm", "Team").objects.create(name="North (old layout)")
    olga = old.get_model("crm", "User").objects.create(username="olga", team=team)
    company = old.get_model("crm", "Company").objects.create(name="Acme", owner=olga, team=team)
    contact = old.get_model("crm", "Contact").objects.create(
        last_name="Smith", company=company, owner=olga, team=team
    )
    lead = old.get_model("leads", "Lead").objects.create(last_name="Lee", owner=olga, team=team)
    pipeline = old.get_model("opportunities", "Pipeline").objects.create(name="Old pipeline")
    stage = old.get_model("opportunities", "Stage").objects.create(
        pipeline=pipeline, name="Qualification"
    )
    deal = old.get_model("opportunities", "Opportunity").objects.create(
        name="Acme renewal",
        pipeline=pipeline,
        stage=stage,
        expected_close_date=datetime.date(2026, 12, 31),
        owner=olga,
        team=team,
    )

    # Her activities, in the table of crm.Activity: one about each kind of record.
    OldActivity = old.get_model("crm", "Activity")
    mine = {"owner": olga, "team": team}
    OldActivity.objects.create(
        kind="call", subject="Call the lead back", lead=lead, due_date="2026-12-01", **mine
    )
    OldActivity.objects.create(
        kind="meeting",
        subject="Renewal demo",
        opportunity=deal,
        due_date="2026-11-20",
        due_time="10:30",
        done_at=datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC),
        done_by=olga,
        outcome="They want a quote",
        **mine,
    )
    OldActivity.objects.create(
        kind="email", subject="Send the price list", contact=contact, due_date="2026-12-02", **mine
    )
    OldActivity.objects.create(
        kind="note", subject="Prefers mornings", notes="Never on Fridays", company=company, **mine
    )
    before = list(OldActivity.objects.order_by("pk").values(*ROW))

    # Going back renamed the content type to crm's; Olga may view crm's activities.
    OldContentType = old.get_model("contenttypes", "ContentType")
    content_type, _ = OldContentType.objects.get_or_create(app_label="crm", model="activity")
    may_view, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="view_activity", defaults={"name": "Can view activity"}
    )
    olga.user_permissions.add(may_view)
    assert list(OldContentType.objects.filter(model="activity").values_list("app_label")) == [
        ("crm",)
    ]

    migrate(executor, executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()  # what follows is read from the database

    # The activities app reads every row as it was, about the same records.
    assert list(Activity.objects.order_by("pk").values(*ROW)) == before
    assert [activity.record for activity in Activity.objects.order_by("pk")] == [
        Lead.objects.get(pk=lead.pk),
        Opportunity.objects.get(pk=deal.pk),
        Contact.objects.get(pk=contact.pk),
        Company.objects.get(pk=company.pk),
    ]
    # The content type is the same row under the new app's name, and so is the permission.
    assert ContentType.objects.get(app_label="activities", model="activity").pk == content_type.pk
    assert not ContentType.objects.filter(app_label="crm", model="activity").exists()
    assert Permission.objects.get(pk=may_view.pk).content_type_id == content_type.pk
    assert User.objects.get(pk=olga.pk).has_perm("activities.view_activity")
    # And the table goes on numbering its rows after the old ones.
    newer = Activity.objects.create(subject="Quote sent", opportunity_id=deal.pk, owner_id=olga.pk)
    assert newer.pk > before[-1]["id"]
