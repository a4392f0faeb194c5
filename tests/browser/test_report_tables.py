"""Report tables at a common laptop size: every column is seen without scrolling sideways."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opportunities.models import Opportunity
from tests.factories import make_lost_reason, make_opportunity, make_pipeline

# For each table of the page: its name, how wide its content is and how wide its box.
TABLE_WIDTHS = """() => [...document.querySelectorAll("main table")].map((table) => ({
    table: table.dataset.table,
    content: table.scrollWidth,
    box: table.parentElement.clientWidth,
}))"""


@pytest.fixture
def closed_deals(manager, rep, teammate):
    """A few deals won and lost today, with the long names real pipelines and reasons have."""
    today = timezone.localdate()
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
    make_opportunity(
        name="Won deal",
        owner=teammate,
        stage=pipeline.stages.get(name="Negotiation"),
        amount=Decimal("987654.32"),
        status=Opportunity.Status.WON,
        closed_date=today,
        competitor="Rival Consulting Group International 0",
    )


@pytest.mark.parametrize("report", ["win-loss", "team"])
def test_report_tables_fit_a_laptop_screen(
    transactional_db, page, live_server, login, manager, closed_deals, report
):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(manager)

    page.goto(f"{live_server.url}/reports/{report}/")

    expect(page.locator("main table[data-table]").first).to_be_visible()
    widths = page.evaluate(TABLE_WIDTHS)
    assert widths, "the report shows its tables"
    assert [w for w in widths if w["content"] > w["box"]] == []
