import datetime
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from opportunities.models import ForecastCategory, Stage
from opportunities.services import create_opportunity
from tests.factories import make_pipeline

# Generous: the machine running the suite may be busy, and each filter change is a request.
SLOW = 15_000


def settled(page):
    """Wait until htmx has finished swapping: it pushes the URL before it swaps, and a change
    made to the old form during the swap would be lost with it."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(
        0, timeout=SLOW
    )


def test_manager_reads_the_month_on_the_dashboard_and_narrows_it_to_a_rep(
    transactional_db, page, live_server, login, manager, rep, teammate, other_rep
):
    today = timezone.localdate()
    pipeline = make_pipeline(name="Sales")
    Stage.objects.filter(pipeline=pipeline).update(forecast_category=ForecastCategory.COMMIT)
    stage = pipeline.stages.first()
    won = create_opportunity(
        by=rep, stage=stage, name="Acme", amount=Decimal("4000"), expected_close_date=today
    )
    won.status, won.closed_date = "won", today
    won.save(update_fields=["status", "closed_date"])
    create_opportunity(
        by=teammate, stage=stage, name="Globex", amount=Decimal("2500"),
        expected_close_date=today + datetime.timedelta(days=1 if today.day < 28 else 0),
    )  # fmt: skip
    create_opportunity(
        by=other_rep, stage=stage, name="Tyrell", amount=Decimal("90000"),
        expected_close_date=today,
    )  # fmt: skip

    login(manager)
    page.get_by_role("link", name="Reports").click()
    # The figures show before htmx has taken the filters over: wait for the page to load.
    page.wait_for_url(f"{live_server.url}/reports/")

    # Alice's win and Bob's commit; Charlie's deal is South's and never counts for Mia.
    expect(page.locator('[data-figure="month-expected"]')).to_have_text(
        "6,500.00 EUR", timeout=SLOW
    )
    expect(page.locator('[data-figure="month-won"]')).to_have_text("4,000.00 EUR", timeout=SLOW)

    page.get_by_label("Rep", exact=True).select_option(label="Bob Rep")

    expect(page.locator('[data-figure="month-expected"]')).to_have_text(
        "2,500.00 EUR", timeout=SLOW
    )
    expect(page).to_have_url(
        f"{live_server.url}/reports/?period=this_month&start=&end=&team=&rep={teammate.pk}&pipeline=",
        timeout=SLOW,
    )


def test_typing_dates_switches_the_period_to_custom_dates(
    transactional_db, page, live_server, login, manager
):
    login(manager)
    page.goto(f"{live_server.url}/reports/team/")

    page.get_by_label("From", exact=True).fill("2026-01-01")

    expect(page.get_by_label("Period", exact=True)).to_have_value("custom", timeout=SLOW)
    expect(page).to_have_url(
        f"{live_server.url}/reports/team/?period=custom&start=2026-01-01&end=&team=&rep=&pipeline=",
        timeout=SLOW,
    )
    # Only one date: the form says what is missing, beside the field.
    expect(page.get_by_text("Give the last day of the period.")).to_be_visible(timeout=SLOW)

    settled(page)
    page.get_by_label("To", exact=True).fill("2026-03-31")
    expect(page.get_by_text("Give the last day of the period.")).to_have_count(0, timeout=SLOW)
    expect(page).to_have_url(
        f"{live_server.url}/reports/team/?period=custom&start=2026-01-01&end=2026-03-31"
        "&team=&rep=&pipeline=",
        timeout=SLOW,
    )

    settled(page)
    page.get_by_label("Period", exact=True).select_option(label="Last month")
    expect(page.get_by_label("From", exact=True)).to_have_value("", timeout=SLOW)
    expect(page).to_have_url(
        f"{live_server.url}/reports/team/?period=last_month&start=&end=&team=&rep=&pipeline=",
        timeout=SLOW,
    )
