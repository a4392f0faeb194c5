"""On a phone the page itself never scrolls sideways: wide tables scroll inside their own box."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from opportunities.services import create_opportunity, mark_lost
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
