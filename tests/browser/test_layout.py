"""Layout at the widths people use: on a phone the page never scrolls sideways (wide tables
scroll inside their own box); on a laptop the filters are wide enough to read."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from opportunities.services import create_opportunity, mark_lost, mark_won
from tests.factories import make_lead, make_lost_reason, make_pipeline

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("path", ["/leads/", "/reports/win-loss/"])
def test_pages_fit_a_phone_screen(transactional_db, page, live_server, login, manager, rep, path):
    make_lead(first_name="Ana", last_name="Zapata", company_name="Zeta Industries", owner=rep)
    deal = create_opportunity(
        by=rep,
        stage=make_pipeline(name="Sales").stages.first(),
        name="A deal with a rather long name",
        amount=Decimal("123456"),
        expected_close_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    mark_lost(deal, reason=make_lost_reason(name="Price too high for the budget"), by=rep)
    page.set_viewport_size(PHONE)
    login(manager)

    page.goto(f"{live_server.url}{path}")

    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]


def test_lead_filters_are_wide_enough_to_read_on_a_laptop(
    transactional_db, page, live_server, login, manager
):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(manager)

    page.goto(f"{live_server.url}/leads/")

    widths = page.eval_on_selector_all(
        "#lead-filters input:not([type=hidden]):not([type=checkbox]), #lead-filters select",
        "controls => controls.map(control => [control.name, control.offsetWidth])",
    )
    assert len(widths) == 11  # with the qualified and converted ranges
    assert [name for name, width in widths if width < 150] == []


def test_dashboard_amounts_stay_on_one_line_on_a_laptop(
    transactional_db, page, live_server, login, manager, rep
):
    deal = create_opportunity(
        by=rep,
        stage=make_pipeline(name="Sales").stages.first(),
        name="Big one",
        amount=Decimal("1234567.89"),
        expected_close_date=timezone.localdate(),
    )
    mark_won(deal, by=rep, closed_date=timezone.localdate())
    page.set_viewport_size({"width": 1280, "height": 800})
    login(manager)

    page.goto(f"{live_server.url}/reports/")

    won = page.locator("[data-figure=month-won]")
    assert won.inner_text() == "1,234,567.89 EUR"
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('[data-figure=month-won]')).lineHeight)"
    )
    assert won.bounding_box()["height"] < 1.5 * line


def test_lead_filters_pair_up_on_a_phone(transactional_db, page, live_server, login, manager):
    page.set_viewport_size(PHONE)
    login(manager)

    page.goto(f"{live_server.url}/leads/")

    # Source and owner side by side: the filters take half the height they would one per row.
    source = page.locator("#lead-filters").get_by_label("Source").bounding_box()
    owner = page.locator("#lead-filters").get_by_label("Owner").bounding_box()
    assert source["y"] == owner["y"]


def test_dashboard_deal_amounts_stay_on_one_line_on_a_phone(
    transactional_db, page, live_server, login, manager, rep
):
    create_opportunity(
        by=rep,
        stage=make_pipeline(name="Sales").stages.first(),
        name="A deal with a rather long name to wrap",
        amount=Decimal("1234567.89"),
        expected_close_date=timezone.localdate(),
    )
    page.set_viewport_size(PHONE)
    login(manager)

    page.goto(f"{live_server.url}/reports/")

    amount = page.locator("[aria-labelledby=headline-next-step] li > span").last
    assert amount.inner_text() == "1,234,567.89 EUR"
    # One box per line the text takes.
    lines = amount.evaluate(
        "span => { const r = document.createRange(); r.selectNodeContents(span);"
        " return new Set([...r.getClientRects()].map(box => Math.round(box.top))).size; }"
    )
    assert lines == 1
