"""Team performance against the quotas, worked out by hand.

"Today" is Wednesday 10 June 2026: June has 30 days, 10 of them gone by (the 10th included),
so the pace is 10 ÷ 30, a third.

Rates to EUR: USD 0.90 from 1 Jan 2026 and 0.80 from 4 Jun; GBP 1.20 from 1 Jan.

North (quota 12,000.00 EUR and 10 activities), run by Mia:
- Alice (quota 9,000.00 EUR and 3 deals) won EUR 3,000 on 2 Jun and USD 2,000 on 5 Jun
  (at 0.80: 1,600.00): 4,600.00, 2 deals. Her EUR 5,000 won on 31 May is May's. She did two
  activities in June.
  Attainment 4,600 ÷ 9,000 = 51 %; expected by today 9,000 × 10/30 = 3,000.00; gap +1,600.00.
- Bob (quota 6,000.00 EUR) won GBP 1,000 on 8 Jun (at 1.20: 1,200.00).
  Attainment 1,200 ÷ 6,000 = 20 %; expected 2,000.00; gap −800.00.
- North won 5,800.00: attainment 5,800 ÷ 12,000 = 48 %; expected 4,000.00; gap +1,800.00;
  activities 2 ÷ 10 = 20 %.
South (quota 20,000.00), run by Sam: Charlie (quota 10,000.00) won EUR 50,000 on 3 Jun.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.models import ExchangeRate
from forecasting.models import Period, Quota
from opportunities.models import Opportunity
from reports.filters import ReportScope
from reports.metrics import team_performance_report
from tests.factories import make_activity, make_opportunity

TODAY = datetime.date(2026, 6, 10)
JUNE = {"period": "custom", "start": "2026-06-01", "end": "2026-06-30"}
PACE = 10 / 30


def won(owner, amount: str, currency: str, closed: datetime.date):
    return make_opportunity(
        owner=owner,
        amount=Decimal(amount),
        currency=currency,
        status=Opportunity.Status.WON,
        closed_date=closed,
        expected_close_date=closed,
    )


def quota(amount: str, *, owner=None, team=None, **fields) -> Quota:
    return Quota.objects.create(
        owner=owner,
        team=team,
        period=Period.MONTH,
        start=datetime.date(2026, 6, 1),
        amount=Decimal(amount),
        **fields,
    )


@pytest.fixture
def june(rep, teammate, other_rep, north, south, south_manager):
    for currency, rate, valid_from in [
        ("USD", "0.90", datetime.date(2026, 1, 1)),
        ("USD", "0.80", datetime.date(2026, 6, 4)),
        ("GBP", "1.20", datetime.date(2026, 1, 1)),
    ]:
        ExchangeRate.objects.create(currency=currency, rate=Decimal(rate), valid_from=valid_from)
    won(rep, "3000", "EUR", datetime.date(2026, 6, 2))
    won(rep, "2000", "USD", datetime.date(2026, 6, 5))
    won(rep, "5000", "EUR", datetime.date(2026, 5, 31))
    won(teammate, "1000", "GBP", datetime.date(2026, 6, 8))
    won(other_rep, "50000", "EUR", datetime.date(2026, 6, 3))
    done = timezone.make_aware(datetime.datetime(2026, 6, 9, 15))
    make_activity(owner=rep, done_at=done, due_date=datetime.date(2026, 6, 9))
    make_activity(owner=rep, done_at=done, due_date=datetime.date(2026, 6, 9))
    quota("9000", owner=rep, deals=3)
    quota("6000", owner=teammate)
    quota("12000", team=north, activities=10)
    quota("10000", owner=other_rep)
    quota("20000", team=south)


def scope_of(user, **narrowing) -> ReportScope:
    return ReportScope(
        user=user,
        start=datetime.date(2026, 6, 1),
        end=datetime.date(2026, 6, 30),
        today=TODAY,
        moment=timezone.make_aware(datetime.datetime(2026, 6, 10, 12)),
        **narrowing,
    )


QUOTA_KEYS = ["quota", "attainment", "pace", "expected", "gap", "deal_attainment"]


def figures(row) -> dict:
    return {key: row[key] for key in ["won_amount", *QUOTA_KEYS, "activity_attainment"]}


def test_attainment_pace_and_gap_of_each_rep_and_team(june, manager, rep, teammate, north):
    report = team_performance_report(scope_of(manager))

    reps = {row["who"]: figures(row) for row in report["reps"]}
    assert report["pace"] == PACE
    assert reps[rep] == {
        "won_amount": Decimal("4600.00"),
        "quota": Decimal("9000.00"),
        "attainment": 4600 / 9000,
        "pace": PACE,
        "expected": Decimal("3000.00"),
        "gap": Decimal("1600.00"),
        "deal_attainment": 2 / 3,
        "activity_attainment": None,
    }
    assert reps[teammate] == {
        "won_amount": Decimal("1200.00"),
        "quota": Decimal("6000.00"),
        "attainment": 0.2,
        "pace": PACE,
        "expected": Decimal("2000.00"),
        "gap": Decimal("-800.00"),
        "deal_attainment": None,
        "activity_attainment": None,
    }
    assert reps[manager]["quota"] is None  # Mia has no quota of her own: no figures
    assert [figures(row) for row in report["teams"]] == [
        {
            "won_amount": Decimal("5800.00"),
            "quota": Decimal("12000.00"),
            "attainment": 5800 / 12000,
            "pace": PACE,
            "expected": Decimal("4000.00"),
            "gap": Decimal("1800.00"),
            "deal_attainment": None,
            "activity_attainment": 0.2,
        }
    ]


def test_won_is_what_team_performance_counts_as_won(june, manager):
    """Attainment is computed on the very row team performance shows: the same won."""
    report = team_performance_report(scope_of(manager))

    for row in [*report["reps"], *report["teams"]]:
        if row["quota"]:
            assert row["attainment"] == float(row["won_amount"] / row["quota"])


def test_another_team_s_quotas_never_show(june, manager, admin_user, other_rep, north, south):
    mine = team_performance_report(scope_of(manager))
    everyone = team_performance_report(scope_of(admin_user))

    assert other_rep not in [row["who"] for row in mine["reps"]]
    assert [row["who"] for row in mine["teams"]] == [north]
    assert {row["who"]: row["quota"] for row in everyone["teams"]}[south] == Decimal("20000.00")
    assert {row["who"]: row["gap"] for row in everyone["reps"]}[other_rep] == Decimal(
        "46666.67"  # 50,000 − 10,000 × 10/30 = 50,000 − 3,333.33
    )


def test_a_rep_sees_her_own_quota_only(june, rep, north):
    report = team_performance_report(scope_of(rep, rep=rep))

    assert [(row["who"], row["quota"]) for row in report["reps"]] == [(rep, Decimal("9000.00"))]
    # Her team's row counts her records only: North's quota is not set against it.
    assert [(row["who"], row["quota"]) for row in report["teams"]] == [(north, None)]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),  # a year: no quota period
        (datetime.date(2026, 6, 1), datetime.date(2026, 6, 15)),
    ],
)
def test_no_quota_figures_outside_a_month_or_a_quarter(june, manager, start, end):
    scope = ReportScope(
        user=manager, start=start, end=end, today=TODAY, moment=scope_of(manager).moment
    )

    report = team_performance_report(scope)

    assert report["pace"] is None
    assert {row["quota"] for row in [*report["reps"], *report["teams"]]} == {None}


def test_no_quota_figures_for_one_pipeline(june, manager):
    deal = Opportunity.objects.first()

    report = team_performance_report(scope_of(manager, pipeline=deal.pipeline))

    assert report["pace"] is None


@pytest.fixture
def on_june_10(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def test_team_performance_page_shows_attainment_pace_and_gap(
    june, on_june_10, manager_client, rep, teammate, north
):
    html = manager_client.get("/reports/team/", JUNE).content.decode()

    alice = html[html.index(f'data-row="{rep.pk}"') :]
    alice = alice[: alice.index("</tr>")]
    assert '<td class="text-end" data-figure="quota">9,000.00 EUR</td>' in alice
    assert (
        '<td class="text-end" data-figure="attainment">51 % '
        '<span class="small text-body-secondary">deals 2 / 3</span></td>'
    ) in alice
    assert '<td class="text-end" data-figure="pace">33 %</td>' in alice
    assert '<td class="text-end" data-figure="gap">1,600.00 EUR</td>' in alice
    bob = html[html.index(f'data-row="{teammate.pk}"') :]
    assert (
        '<td class="text-end" data-figure="gap"><span class="text-danger">-800.00 EUR</span></td>'
        in bob[: bob.index("</tr>")]
    )
    assert "10 Jun 2026" in html
    assert "Charlie" not in html and "50,000" not in html and "10,000.00" not in html


def test_dashboard_shows_each_rep_against_their_quota(june, on_june_10, manager_client, rep):
    html = manager_client.get("/reports/", JUNE).content.decode()

    alice = html[html.index(f'data-row="{rep.pk}"') :]
    alice = alice[: alice.index("</tr>")]
    assert 'data-figure="attainment">51 %' in alice
    assert '<td class="text-end" data-figure="gap">1,600.00 EUR</td>' in alice
    teams = html[html.index('data-table="team_quotas"') :]
    north = teams[teams.index('<th scope="row">North</th>') :]
    north = north[: north.index("</tr>")]
    assert '<td class="text-end" data-figure="quota">12,000.00 EUR</td>' in north
    assert 'data-figure="attainment">48 %' in north
    assert '<td class="text-end" data-figure="gap">1,800.00 EUR</td>' in north
    assert "Charlie" not in html and "South" not in html


def test_team_performance_csv_has_the_quota_figures(june, on_june_10, manager_client, north):
    response = manager_client.get(
        "/reports/team/", {**JUNE, "format": "csv", "table": "team_quotas"}
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [
        {
            key: row[key]
            for key in [
                "Name",
                "Won amount",
                "Quota",
                "Attainment",
                "Pace",
                "Expected by today",
                "Gap to pace",
                "Activity attainment",
            ]
        }
        for row in rows
    ] == [
        {
            "Name": "North",
            "Won amount": "5800.00",
            "Quota": "12000.00",
            "Attainment": "0.4833",
            "Pace": "0.3333",
            "Expected by today": "4000.00",
            "Gap to pace": "1800.00",
            "Activity attainment": "0.2",
        }
    ]
    xlsx = manager_client.get("/reports/team/", {**JUNE, "format": "xlsx", "table": "rep_quotas"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="team-performance-rep_quotas.xlsx"'


def test_setting_a_quota_shows_at_once_on_team_performance(
    june, on_june_10, manager_client, rep, django_capture_on_commit_callbacks
):
    # The page's figures are kept in the cache: setting the quota retires them.
    before = manager_client.get("/reports/team/", JUNE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            "/quotas/set/",
            {"owner": rep.pk, "team": "", "period": "month:2026-06-01", "amount": "4600"},
        )

    after = manager_client.get("/reports/team/", JUNE).content.decode()

    assert 'data-figure="quota">9,000.00 EUR' in before
    assert 'data-figure="quota">4,600.00 EUR' in after
    assert 'data-figure="attainment">100 %' in after


def test_the_api_gives_the_same_figures(june, on_june_10, api_client, manager, rep, north):
    figures = api_client(manager).get("/api/v1/reports/team-performance/", JUNE).json()

    alice = next(row for row in figures["reps"] if row["user"] == rep.pk)
    assert figures["pace"] == pytest.approx(PACE)
    assert {key: alice[key] for key in ["won_amount", "quota", "expected", "gap"]} == {
        "won_amount": "4600.00",
        "quota": "9000.00",
        "expected": "3000.00",
        "gap": "1600.00",
    }
    assert alice["attainment"] == pytest.approx(4600 / 9000)
    assert [(row["name"], row["quota"]) for row in figures["teams"]] == [("North", "12000.00")]
