"""Mia sets Alice's quota for the month and reads her attainment on team performance."""

from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from forecasting.models import Period, Quota
from infra.periods import month_start
from opportunities.services import create_opportunity
from tests.factories import make_pipeline

SLOW = 15_000


def test_manager_sets_a_quota_and_sees_attainment_on_team_performance(
    transactional_db, page, live_server, login, manager, rep, other_rep
):
    today = timezone.localdate()
    stage = make_pipeline(name="Sales").stages.first()
    won = create_opportunity(
        by=rep, stage=stage, name="Acme", amount=Decimal("4000"), expected_close_date=today
    )
    won.status, won.closed_date = "won", today
    won.save(update_fields=["status", "closed_date"])

    login(manager)
    page.goto(f"{live_server.url}/reports/team/?period=this_month")
    page.get_by_role("link", name="Set quotas").click()
    expect(page.get_by_role("heading", name="Quotas", exact=True)).to_be_visible(timeout=SLOW)
    form = page.locator("#quota-form")
    form.get_by_label("Rep").select_option(label="Alice Rep")
    form.get_by_label("Amount to win").fill("8000")
    form.get_by_label("Deals to win").fill("2")
    form.get_by_role("button", name="Save the quota").click()

    alice_row = page.locator(f'[data-quota="rep-{rep.pk}"]')
    expect(alice_row.locator('[data-figure="amount"]')).to_have_text("8,000.00", timeout=SLOW)
    expect(page.get_by_text("The quota of Alice Rep for")).to_be_visible(timeout=SLOW)
    quota = Quota.objects.get()
    assert (quota.owner, quota.period, quota.start, quota.amount, quota.deals) == (
        rep,
        Period.MONTH,
        month_start(today),
        Decimal("8000.00"),
        2,
    )

    page.get_by_role("link", name="Team performance").first.click()

    row = page.locator(f'table[data-table="rep_quotas"] tr[data-row="{rep.pk}"]')
    expect(row.locator('[data-figure="quota"]')).to_have_text("8,000.00 EUR", timeout=SLOW)
    expect(row.locator('[data-figure="attainment"]')).to_have_text("50 % deals 1 / 2")
    expect(page.locator("body")).not_to_contain_text("Charlie")
