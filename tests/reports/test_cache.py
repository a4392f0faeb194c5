"""Report figures are kept in the cache, and every change that can alter one shows at once."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.services import log_activity
from crm.models import ExchangeRate
from leads.models import Lead
from leads.services import assign, create_lead, qualify
from opportunities.models import Opportunity
from opportunities.services import create_opportunity, mark_won, move_opportunity
from tests.factories import make_lead, make_pipeline


@pytest.fixture
def sales_pipeline(db):
    return make_pipeline(name="Sales")


def open_deal(owner, stage, *, amount="1000", currency="EUR"):
    return create_opportunity(
        by=owner,
        stage=stage,
        name="Acme renewal",
        amount=Decimal(amount),
        currency=currency,
        expected_close_date=timezone.localdate(),
    )


def test_second_view_of_a_report_reads_its_figures_from_the_cache(
    sales_pipeline, rep, manager_client, django_assert_num_queries
):
    open_deal(rep, sales_pipeline.stages.first())
    manager_client.get(reverse("reports:pipeline"))

    # session, user, and the filter's choices (teams, reps, pipelines): no figure is computed
    with django_assert_num_queries(5):
        response = manager_client.get(reverse("reports:pipeline"))

    assert response.context["report"]["totals"]["count"] == 1
    assert response.context["report"]["totals"]["amount"] == Decimal("1000.00")


@pytest.mark.parametrize("report", ["reports:team_performance", "reports:forecast"])
def test_a_report_the_dashboard_has_computed_opens_from_the_cache(
    sales_pipeline, rep, manager_client, django_assert_num_queries, report
):
    open_deal(rep, sales_pipeline.stages.first())
    manager_client.get(reverse("reports:dashboard"))

    # session, user, and the filter's choices (teams, reps, pipelines): no figure is computed
    with django_assert_num_queries(5):
        response = manager_client.get(reverse(report))

    assert response.status_code == 200


def test_a_won_deal_leaves_the_open_pipeline_at_once(
    sales_pipeline, rep, manager_client, django_capture_on_commit_callbacks
):
    deal = open_deal(rep, sales_pipeline.stages.first())
    before = manager_client.get(reverse("reports:pipeline")).context["report"]["totals"]

    with django_capture_on_commit_callbacks(execute=True):
        mark_won(deal, by=rep)
    after = manager_client.get(reverse("reports:pipeline")).context["report"]["totals"]

    assert (before["count"], after["count"]) == (1, 0)


def test_a_moved_deal_changes_stage_on_the_dashboard_and_the_pipeline_at_once(
    sales_pipeline, rep, manager_client, django_capture_on_commit_callbacks
):
    first, second, _third = sales_pipeline.stages.order_by("order")
    deal = open_deal(rep, first)
    manager_client.get(reverse("reports:dashboard"))
    manager_client.get(reverse("reports:pipeline"))

    with django_capture_on_commit_callbacks(execute=True):
        move_opportunity(deal, stage=second, by=rep)
    dashboard = manager_client.get(reverse("reports:dashboard")).context
    rows = manager_client.get(reverse("reports:pipeline")).context["report"]["rows"]

    assert [(row["stage__name"], row["count"]) for row in rows] == [("Proposal", 1)]
    assert dashboard["pipeline"]["weighted"] == Decimal("600.00")  # 1,000 at 60 %


def test_a_new_lead_and_its_qualification_count_in_the_funnel_at_once(
    rep, manager_client, django_capture_on_commit_callbacks
):
    manager_client.get(reverse("reports:lead_funnel"))

    with django_capture_on_commit_callbacks(execute=True):
        lead = create_lead(by=rep, last_name="Garcia", owner=rep)
    middle = manager_client.get(reverse("reports:lead_funnel")).context["report"]["totals"]
    with django_capture_on_commit_callbacks(execute=True):
        qualify(lead, by=rep)
    after = manager_client.get(reverse("reports:lead_funnel")).context["report"]["totals"]

    assert (middle["leads"], middle["qualified"]) == (1, 0)
    assert (after["leads"], after["qualified"]) == (1, 1)
    assert Lead.objects.get().status == Lead.Status.QUALIFIED


def test_a_logged_call_counts_in_team_performance_at_once(
    sales_pipeline, rep, manager_client, django_capture_on_commit_callbacks
):
    deal = open_deal(rep, sales_pipeline.stages.first())
    manager_client.get(reverse("reports:team_performance"))

    with django_capture_on_commit_callbacks(execute=True):
        log_activity(record=deal, by=rep, kind=Activity.Kind.CALL, subject="Called the buyer")
    report = manager_client.get(reverse("reports:team_performance")).context["report"]

    alice = next(row for row in report["reps"] if row["who"] == rep)
    assert alice["activities_done"] == 1


def test_a_new_exchange_rate_converts_the_forecast_at_once(
    sales_pipeline, rep, admin_user, admin_client, django_capture_on_commit_callbacks
):
    open_deal(rep, sales_pipeline.stages.first(), amount="2000", currency="USD")
    before = admin_client.get(reverse("reports:forecast")).context["report"]["rows"][0]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:crm_exchangerate_add"),
            {"currency": "USD", "rate": "0.5", "valid_from": "2000-01-01"},
        )
    after = admin_client.get(reverse("reports:forecast")).context["report"]["rows"][0]

    assert ExchangeRate.objects.get().rate == Decimal("0.5")
    assert (before["unconverted"], before["pipeline"]) == (1, Decimal("0"))
    assert (after["unconverted"], after["pipeline"]) == (0, Decimal("1000.00"))


def test_a_change_rolled_back_keeps_the_cached_figures(
    sales_pipeline,
    rep,
    manager_client,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    deal = open_deal(rep, sales_pipeline.stages.first())
    manager_client.get(reverse("reports:pipeline"))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mark_won(deal, by=rep)
    # Never committed: the callbacks do not run, the figures stay cached (5 queries as above).
    with django_assert_num_queries(5):
        manager_client.get(reverse("reports:pipeline"))

    assert len(callbacks) == 1


def test_each_scope_keeps_its_own_figures(
    sales_pipeline, rep, teammate, rep_client, teammate_client, manager_client
):
    open_deal(rep, sales_pipeline.stages.first(), amount="1000")
    open_deal(teammate, sales_pipeline.stages.first(), amount="3000")

    as_alice = rep_client.get(reverse("reports:pipeline"))
    as_bob = teammate_client.get(reverse("reports:pipeline"))
    as_mia = manager_client.get(reverse("reports:pipeline"))

    assert as_alice.context["report"]["totals"]["amount"] == Decimal("1000.00")
    assert as_bob.context["report"]["totals"]["amount"] == Decimal("3000.00")
    assert as_mia.context["report"]["totals"]["amount"] == Decimal("4000.00")


def test_a_deal_changed_in_the_admin_shows_on_the_reports_at_once(
    sales_pipeline, rep, admin_user, manager_client, rf, django_capture_on_commit_callbacks
):
    deal = open_deal(rep, sales_pipeline.stages.first())
    before = manager_client.get(reverse("reports:pipeline")).context["report"]["totals"]
    request = rf.post("/")
    request.user = admin_user

    deal.amount = Decimal("5000")
    with django_capture_on_commit_callbacks(execute=True):
        admin.site._registry[Opportunity].save_model(request, deal, form=None, change=True)
    after = manager_client.get(reverse("reports:pipeline")).context["report"]["totals"]

    assert (before["amount"], after["amount"]) == (Decimal("1000.00"), Decimal("5000.00"))


@pytest.mark.parametrize(
    "model",
    [
        "crm.Company",
        "crm.Contact",
        "activities.Activity",
        "crm.User",
        "crm.Team",
        "crm.ExchangeRate",
        "leads.Lead",
        "leads.LeadSource",
        "opportunities.Opportunity",
        "opportunities.Pipeline",
        "opportunities.Stage",
        "opportunities.LostReason",
    ],
)
def test_every_admin_of_what_the_reports_count_retires_their_figures(model):
    from django.apps import apps

    from infra.admin_figures import RetiresFigures

    assert isinstance(admin.site._registry[apps.get_model(model)], RetiresFigures)


def funnel_totals(client):
    return client.get(reverse("reports:lead_funnel")).context["report"]["totals"]


def test_a_lead_handed_over_from_its_page_leaves_the_old_owners_funnel_at_once(
    rep, other_rep, north, admin_client, other_client, django_capture_on_commit_callbacks
):
    # Charlie (South) still holds a lead filed under North, the team he came from.
    lead = make_lead(owner=other_rep, team=north, last_name="Garcia")
    assert funnel_totals(other_client)["leads"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("leads:edit", args=[lead.pk]),
            {"last_name": "Garcia", "owner": rep.pk},
        )

    assert response.status_code == 302
    assert Lead.objects.get(pk=lead.pk).owner == rep
    assert funnel_totals(other_client)["leads"] == 0


def test_a_lead_handed_over_while_its_old_owner_qualifies_it_counts_for_the_new_one(
    rep, other_rep, admin_user, rep_client, django_capture_on_commit_callbacks
):
    lead = make_lead(owner=other_rep)
    as_charlie_loaded_it = Lead.objects.get(pk=lead.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assign([Lead.objects.get(pk=lead.pk)], owner=rep, by=admin_user)
    assert funnel_totals(rep_client)["qualified"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        qualify(as_charlie_loaded_it, by=other_rep)

    assert funnel_totals(rep_client)["qualified"] == 1
