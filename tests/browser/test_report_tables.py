"""Report pages at a common laptop size: every column of every table is seen without scrolling
sideways, and nothing on the page runs past the window's edge."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forecasting.models import Period, Quota
from leads.models import LeadStatusChange
from opportunities.models import Opportunity, OpportunityChange
from tests.factories import (
    make_lead,
    make_lead_source,
    make_lost_reason,
    make_opportunity,
    make_pipeline,
)
from tests.opportunities.history import pushed_back

# For each table of the page: its name, how wide its content is and how wide its box.
TABLE_WIDTHS = """() => [...document.querySelectorAll("main table")].map((table) => ({
    table: table.dataset.table,
    content: table.scrollWidth,
    box: table.parentElement.clientWidth,
}))"""
# How far the page reaches past the window sideways (0: nothing is cut off).
PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

REPORTS = ["", "pipeline/", "forecast/", "team/", "lead-funnel/", "win-loss/", "velocity/"]
REPORTS += ["slipped/"]


@pytest.fixture
def closed_deals(manager, rep, teammate):
    """A few deals won, lost and open today, with the long names real pipelines, reasons and
    sources have, from leads qualified today, and a close date pushed out; a quota for the
    month for each rep, with deals and activities to do."""
    today = timezone.localdate()
    for owner in (rep, teammate):
        Quota.objects.create(
            owner=owner,
            period=Period.MONTH,
            start=today.replace(day=1),
            amount=Decimal("2500000.00"),
            deals=12,
            activities=150,
        )
    pipeline = make_pipeline(
        name="Enterprise renewals", stages=("Qualification", "Technical evaluation", "Negotiation")
    )
    reason = make_lost_reason(name="Went with a cheaper competitor")
    for number, (owner, stage) in enumerate(
        [(rep, "Technical evaluation"), (teammate, "Negotiation"), (rep, "Qualification")]
    ):
        make_opportunity(
            name=f"Lost deal {number}",
            owner=owner,
            stage=pipeline.stages.get(name=stage),
            amount=Decimal("1250000.00"),
            status=Opportunity.Status.LOST,
            closed_date=today,
            lost_reason=reason,
            competitor=f"Rival Consulting Group International {number}",
        )
    source = make_lead_source(name="Partner referral programme (EMEA)")
    for owner in (rep, teammate):
        lead = make_lead(owner=owner, source=source, company_name="Consolidated Holdings plc")
        LeadStatusChange.objects.create(lead=lead, to_status="qualified")
        deal = make_opportunity(
            name="Consolidated Holdings multi-year platform renewal",
            owner=owner,
            stage=pipeline.stages.get(name="Technical evaluation"),
            amount=Decimal("2345678.90"),
            expected_close_date=today,
            lead=lead,
        )
        pushed_back(deal, days=9)
        OpportunityChange.objects.create(
            opportunity=deal, field="created", to_stage=deal.stage, new_value=deal.stage.name
        )
    make_opportunity(
        name="Won deal",
        owner=teammate,
        stage=pipeline.stages.get(name="Negotiation"),
        amount=Decimal("987654.32"),
        status=Opportunity.Status.WON,
        closed_date=today,
        competitor="Rival Consulting Group International 0",
    )


@pytest.mark.parametrize("report", REPORTS)
def test_report_tables_fit_a_laptop_screen(
    transactional_db, page, live_server, login, manager, closed_deals, report
):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(manager)

    page.goto(f"{live_server.url}/reports/{report}")

    expect(page.locator("main table[data-table]").first).to_be_visible()
    widths = page.evaluate(TABLE_WIDTHS)
    assert widths, "the report shows its tables"
    assert [w for w in widths if w["content"] > w["box"]] == []
    assert page.evaluate(PAGE_OVERFLOW) == 0
