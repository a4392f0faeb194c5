"""Alice's quotas on her day, worked out by hand.

"Today" is 10 June 2026. Alice's June quota: 9,000.00 EUR and 3 deals; her quota for the
second quarter (1 April – 30 June, 91 days, 71 of them gone by): 30,000.00 EUR.
She won EUR 3,000 on 2 June, USD 2,000 on 5 June (at 0.80 from 4 June: 1,600.00) and EUR 5,000
on 15 May.

- June: 4,600.00 won, 51 %; pace 10 ÷ 30 = 33 %; 3,000.00 expected, 1,600.00 ahead; 2 of 3 deals.
- Q2: 9,600.00 won, 32 %; pace 71 ÷ 91 = 78 %; 30,000 × 71 ÷ 91 = 23,406.59 expected,
  13,806.59 behind.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.models import ExchangeRate
from forecasting.models import Period, Quota
from opportunities.models import Opportunity
from tests.factories import make_opportunity

TODAY = datetime.date(2026, 6, 10)


def won(owner, amount: str, currency: str, closed: datetime.date):
    return make_opportunity(
        owner=owner,
        amount=Decimal(amount),
        currency=currency,
        status=Opportunity.Status.WON,
        closed_date=closed,
        expected_close_date=closed,
    )


@pytest.fixture
def alice_s_june(rep, teammate, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    ExchangeRate.objects.create(
        currency="USD", rate=Decimal("0.90"), valid_from=datetime.date(2026, 1, 1)
    )
    ExchangeRate.objects.create(
        currency="USD", rate=Decimal("0.80"), valid_from=datetime.date(2026, 6, 4)
    )
    won(rep, "3000", "EUR", datetime.date(2026, 6, 2))
    won(rep, "2000", "USD", datetime.date(2026, 6, 5))
    won(rep, "5000", "EUR", datetime.date(2026, 5, 15))
    won(teammate, "7777", "EUR", datetime.date(2026, 6, 3))
    june, q2 = datetime.date(2026, 6, 1), datetime.date(2026, 4, 1)
    Quota.objects.create(
        owner=rep, period=Period.MONTH, start=june, amount=Decimal("9000"), deals=3
    )
    Quota.objects.create(owner=rep, period=Period.QUARTER, start=q2, amount=Decimal("30000"))
    Quota.objects.create(owner=teammate, period=Period.MONTH, start=june, amount=Decimal("5555"))


def card(html: str, period: str) -> str:
    start = html.index(f'data-quota="{period}"')
    return html[start : html.index("</section>", start)]


def test_alice_sees_how_far_along_her_quotas_she_is(alice_s_june, rep_client):
    html = rep_client.get("/").content.decode()

    june = card(html, "month")
    assert "Your quota, June 2026" in june
    assert 'data-figure="attainment">51 %</span>' in june
    assert "4,600.00 EUR won of 9,000.00 EUR" in june
    assert 'data-figure="pace">33 %</dd>' in june
    assert "Ahead of pace by" in june and 'data-figure="gap">1,600.00 EUR</dd>' in june
    assert 'data-figure="deals">2 of 3</dd>' in june
    quarter = card(html, "quarter")
    assert "Your quota, Q2 2026" in quarter
    assert 'data-figure="attainment">32 %</span>' in quarter
    assert "9,600.00 EUR won of 30,000.00 EUR" in quarter
    assert 'data-figure="pace">78 %</dd>' in quarter
    assert "Behind pace by" in quarter
    assert 'data-figure="gap">-13,806.59 EUR</dd>' in quarter
    assert "5,555" not in html and "7,777" not in html  # Bob's


def test_no_quota_no_card(rep_client, rep):
    html = rep_client.get("/").content.decode()

    assert "data-quotas" not in html


def test_the_day_s_region_alone_reads_no_quota(alice_s_june, rep_client, htmx_headers):
    fragment = rep_client.get("/", headers=htmx_headers).content.decode()

    assert fragment.lstrip().startswith('<div id="my-day"')
    assert "data-quotas" not in fragment


def test_the_quotas_cost_a_query_each_then_are_kept(
    alice_s_june, rep_client, django_assert_num_queries
):
    # session, user, the user's team (menu), which items (activities, deals needing attention,
    # new leads: none, so nothing more to read), the user's quotas, the deals won in each,
    # the user's emails that failed
    with django_assert_num_queries(10):
        rep_client.get("/")
    # kept in the cache with the rest of the day until the next change in Alice's scope
    # (session, user, team; the emails that failed are read each time)
    with django_assert_num_queries(4):
        rep_client.get("/")
