"""The report pages: who sees what, HTMX regions, CSV exports and query counts."""

import csv
import datetime
import io
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from crm.models import Company, ExchangeRate, User
from leads.models import Lead, LeadStatusChange
from opportunities.models import Opportunity, OpportunityChange, Stage
from opportunities.services import create_opportunity
from reports import views as report_views
from tests.asserts import assert_shows
from tests.factories import make_lead, make_lost_reason, make_pipeline
from tests.opportunities.history import pushed_back


def make_deals(owner, count: int):
    """``count`` deals of ``owner`` of every kind a report reads: open in USD, won, lost, each
    with a lead, a stage move, a pushed close date and a done activity."""
    today = timezone.localdate()
    pipeline = make_pipeline(name="Sales")
    first, second, _third = pipeline.stages.order_by("order")
    reason = make_lost_reason(name="Too expensive")
    ExchangeRate.objects.create(
        currency="USD", rate=Decimal("0.9"), valid_from=today.replace(year=today.year - 1)
    )
    statuses = ["open", "won", "lost"]
    for number in range(count):
        lead = make_lead(owner=owner)
        LeadStatusChange.objects.create(lead=lead, to_status="qualified")
        status = statuses[number % 3]
        deal = create_opportunity(
            by=owner,
            stage=first,
            name=f"Deal {number}",
            amount=Decimal("1000"),
            currency="USD" if number % 2 else "EUR",
            expected_close_date=today,
            lead=lead,
            competitor="Rival" if status == "lost" else "",
        )
        OpportunityChange.objects.create(
            opportunity=deal, field="stage", from_stage=first, to_stage=second
        )
        pushed_back(deal, days=5)
        deal.stage = second
        if status != "open":
            deal.status = status
            deal.closed_date = today
            deal.lost_reason = reason if status == "lost" else None
            OpportunityChange.objects.create(
                opportunity=deal, field="status", old_value="open", new_value=status
            )
        deal.save()
        Activity.objects.create(
            owner=owner, team=owner.team, subject="Call", opportunity=deal, done_at=timezone.now()
        )


REPORTS = [
    "dashboard",
    "pipeline",
    "forecast",
    "team_performance",
    "lead_funnel",
    "win_loss",
    "velocity",
    "slipped",
]

# Every table a report can export, as (report, table).
EXPORTS = [
    ("dashboard", "reps"),
    ("dashboard", "slipped"),
    ("pipeline", "stages"),
    ("forecast", "periods"),
    ("team_performance", "reps"),
    ("team_performance", "teams"),
    ("lead_funnel", "sources"),
    ("win_loss", "reasons"),
    ("win_loss", "competitors"),
    ("win_loss", "stages"),
    ("velocity", "stages"),
    ("slipped", "deals"),
]


# The story of conftest.py happens in May 2026.
MAY = {"period": "custom", "start": "2026-05-01", "end": "2026-05-31"}


def url(name: str, **query) -> str:
    address = reverse(f"reports:{name}")
    return f"{address}?{urlencode(query)}" if query else address


def without_links(html: str) -> str:
    """The page as read: every figure is a link to the list behind it (tested apart)."""
    return re.sub(r"</?a\b[^>]*>", "", html)


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode()
    # Excel reads a CSV as UTF-8 only after a byte-order mark.
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("name", REPORTS)
def test_report_page_for_a_manager(sales, manager_client, name):
    response = manager_client.get(url(name))

    html = response.content.decode()
    assert "<html" in html
    assert 'id="report"' in html
    assert 'hx-push-url="true"' in html
    # South's deal, its owner and its amount never show for North's manager.
    assert "Tyrell" not in html
    assert "Charlie" not in html
    assert "100,000" not in html


@pytest.mark.parametrize("name", REPORTS)
def test_report_region_for_htmx(sales, manager_client, htmx_headers, name):
    response = manager_client.get(url(name, period="last_month"), headers=htmx_headers)

    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="report"')
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("name", REPORTS)
def test_report_refuses_post(manager_client, name):
    response = manager_client.post(url(name))

    assert response.status_code == 405
    assert response.content == b""


@pytest.mark.parametrize("name", REPORTS)
def test_report_needs_login(client, name):
    response = client.get(url(name))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={reverse(f'reports:{name}')}"


@pytest.mark.parametrize(("name", "table"), EXPORTS)
def test_export_is_scoped_to_the_manager(sales, manager_client, name, table):
    response = manager_client.get(url(name, format="csv", table=table, **MAY))

    text = response.content.decode()
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert len(csv_rows(response)) >= 1
    assert "Tyrell" not in text
    assert "Charlie" not in text
    assert "100000" not in text


@pytest.mark.parametrize(("name", "table"), EXPORTS)
def test_export_for_a_rep_holds_only_their_numbers(sales, rep_client, name, table):
    response = rep_client.get(url(name, format="csv", table=table, **MAY))

    text = response.content.decode()
    assert "Bob" not in text
    assert "Wonka" not in text
    assert "Tyrell" not in text


def test_pipeline_export_has_the_figures(sales, manager_client):
    response = manager_client.get(url("pipeline", format="csv", table="stages"))

    rows = csv_rows(response)
    assert rows[0] == [
        "Pipeline",
        "Stage",
        "Open deals",
        "Amount",
        "Weighted amount",
        "Days in current stage (open deals)",
        "Deals without a rate",
    ]
    # The days in stage run up to the real today; every other figure is fixed.
    assert [row[:5] + row[6:] for row in rows[1:]] == [
        ["Sales", "Qualification", "1", "0.00", "0.00", "1"],
        ["Sales", "Proposal", "2", "10000.00", "5000.00", "0"],
        ["Sales", "Negotiation", "1", "10000.00", "8000.00", "0"],
    ]


def test_export_neutralises_spreadsheet_formulas(sales, manager_client, rep):
    sales.deals.d1.name = '=HYPERLINK("http://evil.example","x")'
    sales.deals.d1.save(update_fields=["name"])

    response = manager_client.get(url("slipped", format="csv", table="deals", **MAY))

    names = [row[0] for row in csv_rows(response)[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names


def test_rep_sees_only_their_own_row_and_no_team_or_rep_filter(sales, rep_client):
    response = rep_client.get(url("team_performance", **MAY))

    html = response.content.decode()
    assert "2 · 6,500.00 EUR" in html
    assert "Bob Rep" not in html
    assert 'name="team"' not in html
    assert 'name="rep"' not in html
    # Her own numbers are not the team's: no team table that would say they are.
    assert 'data-table="teams"' not in html


def test_manager_cannot_ask_for_another_teams_numbers(sales, manager_client, south, other_rep):
    response = manager_client.get(url("pipeline", team=south.pk, rep=other_rep.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html
    assert "is-invalid" in html
    assert "Tyrell" not in html
    # The report still shows the manager's own scope.
    assert "20,000.00 EUR" in html


def test_manager_narrows_to_one_rep(sales, manager_client, rep, teammate):
    response = manager_client.get(url("team_performance", rep=teammate.pk, **MAY))

    html = response.content.decode()
    assert f'<tr data-row="{teammate.pk}">' in html
    assert f'<tr data-row="{rep.pk}">' not in html
    assert "1 · 8,000.00 EUR" in html


def test_custom_period_needs_both_dates(sales, manager_client):
    response = manager_client.get(url("win_loss", period="custom", start="2026-05-01"))

    html = response.content.decode()
    assert "Give the last day of the period." in html


def test_forecast_page_draws_this_months_expected_closes(manager_client, rep):
    # Open EUR 1,000 (pipeline), won USD 1,000 at 0.9, lost EUR 1,000: all this month.
    make_deals(rep, 3)

    response = manager_client.get(url("forecast"))

    html = without_links(response.content.decode())
    assert 'data-period="this_month"' in html
    assert (
        '<svg viewBox="0 0 600 128" width="100%" role="group" aria-label="Forecast by period">'
        in html
    )
    # Won 900 and pipeline 1,000 end to end over 360 units: 170.5 and 189.5.
    assert (
        '<rect x="160.0" y="8" width="170.5" height="22" rx="2" fill="#198754">'
        "<title>Won: 900</title></rect>"
        '<rect x="330.5" y="8" width="189.5" height="22" rx="2" fill="#adb5bd">'
        "<title>Pipeline: 1000</title></rect>"
    ) in html


def test_pages_carry_no_inline_styles_or_scripts(sales, manager_client):
    for name in REPORTS:
        html = manager_client.get(url(name)).content.decode()
        assert "style=" not in html
        assert "<script>" not in html
        assert "hx-on" not in html


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # session, user, 3 for the filter choices (teams, reps, pipelines) and, the first
        # time, the manager's teams and members (whose writes retire the figures) in every report;
        # dashboard: forecast, slipped summary (the deals only for their CSV), deals without a
        # next step (count and first five), pipeline totals, win/loss summary, lead funnel
        # totals (leads, won deals), team performance (reps, teams, then deals, deals without
        # a next step, leads and activities, each grouped by rep and team at once).
        ("dashboard", 20),
        # the stage rows and the totals
        ("pipeline", 8),
        # one aggregate for the four periods
        ("forecast", 7),
        # reps, teams; deals, deals without a next step, leads and activities, each grouped
        # by rep and team at once
        ("team_performance", 12),
        # leads by source, won deals by source, and the two totals
        ("lead_funnel", 10),
        # summary, reasons, competitors, stages
        ("win_loss", 10),
        # stays grouped by stage, the stages
        ("velocity", 8),
        # the slipped deals, the summary
        ("slipped", 8),
        # stays grouped by stage, the open pipeline by stage and its totals, the stages, the
        # closed deals and their closing calls grouped by owner
        ("calibration", 12),
    ],
)
def test_report_query_count_does_not_grow(
    manager_client, rep, django_assert_num_queries, name, queries, count
):
    make_deals(rep, count)

    with django_assert_num_queries(queries):
        response = manager_client.get(url(name))

    assert 'id="report"' in response.content.decode()


def test_slipped_page_lists_the_deals_pushed_out_in_may(sales, manager_client):
    response = manager_client.get(url("slipped", **MAY))

    html = response.content.decode()
    assert "2 deals pushed out in the period (3 times, 41 days in all)." in html
    assert 'aria-label="Days pushed out, per deal"' in html
    assert html.index(">Globex<") < html.index(">Acme<")  # the furthest pushed first
    assert "Tyrell" not in html
    # Dates read as everywhere else, whether kept as a date or as text in the history.
    assert "<td>05/20/2026</td>" in html
    assert "2026-05-20" not in html


def test_win_loss_page_shows_the_summary(sales, manager_client):
    response = manager_client.get(url("win_loss", **MAY))

    html = without_links(response.content.decode())
    assert '<div class="report-headline" data-figure="won">3 · 14,500.00 EUR</div>' in html
    assert '<div class="report-headline" data-figure="lost">1 · 1,200.00 EUR</div>' in html
    assert '<div class="report-headline" data-figure="win-rate">75 %</div>' in html


def test_unconverted_deals_are_flagged_not_counted(sales, manager_client):
    response = manager_client.get(url("pipeline"))

    html = without_links(response.content.decode())
    assert "1 deal without a rate" in html
    assert '<td class="text-end" data-total="amount">20,000.00 EUR' in html


def test_dashboard_headlines(manager_client, rep, other_rep):
    # Alice: open EUR 1,000 at 30 %, won USD 1,000 (at 0.9), lost EUR 1,000; all today, each
    # from a lead qualified today and each pushed out by 5 days. Charlie's deal is South's.
    make_deals(rep, 3)
    create_opportunity(
        by=other_rep,
        stage=Stage.objects.get(pipeline__name="Sales", order=1),
        name="Tyrell",
        amount=Decimal("50000"),
        expected_close_date=timezone.localdate(),
    )

    response = manager_client.get(url("dashboard"))

    html = response.content.decode()
    assert_shows(
        html,
        '<div class="report-headline" data-figure="pipeline">1,000.00 EUR</div>',
        "1 open deal, 300.00 EUR weighted",
        '<div class="report-headline" data-figure="win-rate">50 %</div>',
        "1 won (900.00 EUR), 1 lost",
        '<div class="report-headline" data-figure="leads">3</div>',
        "3 qualified, 0 converted, 1 won",
        'data-figure="month-won">900.00 EUR</dd>',
        '<div class="report-headline" data-figure="slipped">3</div>',
    )
    assert "Tyrell" not in html


def test_dashboard_links_each_deal_without_a_next_step(manager_client, rep):
    make_deals(rep, 3)
    deal = Opportunity.objects.get(status="open")

    html = manager_client.get(url("dashboard")).content.decode()

    listed = html.split('data-figure="no-next-step"', 1)[1].split("</ul>", 1)[0]
    assert f'<a href="{deal.get_absolute_url()}">{deal.name}</a>' in listed


def test_charts_say_what_they_show(sales, manager_client):
    html = manager_client.get(url("velocity", **MAY)).content.decode()

    assert "data-chart-title>Average days spent in each stage (stays that ended)</div>" in html


def test_manager_sees_the_team_table(sales, manager_client):
    html = manager_client.get(url("team_performance", **MAY)).content.decode()

    assert 'data-table="teams"' in html


def test_slipped_page_lists_the_furthest_pushed_and_the_csv_all(sales, manager_client, monkeypatch):
    monkeypatch.setattr(report_views, "SLIPPED_SHOWN", 1)

    html = manager_client.get(url("slipped", **MAY)).content.decode()
    rows = csv_rows(manager_client.get(url("slipped", format="csv", table="deals", **MAY)))

    assert ">Globex<" in html
    assert ">Acme<" not in html
    assert "The 1 deal pushed out furthest; the CSV export lists them all." in html
    assert len(rows) == 3  # the header, Globex and Acme


@pytest.mark.parametrize("name", ["dashboard", "team_performance", "slipped", "pipeline"])
def test_names_in_report_rows_and_charts_are_escaped(sales, manager_client, name):
    """Rows and charts are written in Python, not by templates: names must still be escaped."""
    script = '<script>alert("x")</script>'
    Opportunity.objects.update(name=script)
    Company.objects.update(name=script)
    User.objects.update(first_name=script)

    html = manager_client.get(url(name, **MAY)).content.decode()

    assert script not in html
    assert "&lt;script&gt;" in html


def test_the_report_tabs_and_the_dashboard_cards_keep_the_period_in_view(manager_client, north):
    dashboard = manager_client.get(url("dashboard")).content.decode()
    chosen = manager_client.get(
        url("dashboard"), {"period": "last_quarter", "team": north.pk}
    ).content.decode()

    # The default, spelled out.
    assert f'href="{url("win_loss")}?period=this_month"' in dashboard
    assert f'href="{url("team_performance")}?period=last_quarter&amp;team={north.pk}"' in chosen
    assert chosen.count("period=last_quarter") >= 8 + 4  # every tab, every card


def test_a_filter_changed_in_place_brings_tabs_that_carry_it(manager_client, htmx_headers):
    response = manager_client.get(url("win_loss"), {"period": "last_year"}, headers=htmx_headers)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report"')
    assert 'id="report-nav" hx-swap-oob="true"' in html
    assert f'href="{url("velocity")}?period=last_year"' in html


def _deal_pushed_once_by_a_day(owner):
    today = timezone.localdate()
    deal = create_opportunity(
        by=owner,
        stage=make_pipeline(name="Sales").stages.first(),
        name="Acme",
        amount=Decimal("1000"),
        expected_close_date=today,
    )
    pushed_back(deal, days=1)


def test_one_push_by_one_day_reads_in_the_singular(manager_client, rep):
    _deal_pushed_once_by_a_day(rep)

    slipped = manager_client.get(url("slipped")).content.decode()
    dashboard = manager_client.get(url("dashboard")).content.decode()

    assert "1 deal pushed out in the period (1 time, 1 day in all)." in slipped
    assert "pushed out once in the period, by 1 day<" in dashboard


def test_one_push_by_one_day_reads_in_the_spanish_singular(manager_client, rep):
    _deal_pushed_once_by_a_day(rep)
    spanish = {"accept-language": "es"}

    slipped = manager_client.get(url("slipped"), headers=spanish).content.decode()
    dashboard = manager_client.get(url("dashboard"), headers=spanish).content.decode()

    assert "1 oportunidad aplazada en el periodo (1 vez, 1 día en total)." in slipped
    assert "aplazada una vez en el periodo, 1 día<" in dashboard


def test_many_pushes_read_in_the_plural(sales, manager_client):
    html = manager_client.get(url("dashboard", **MAY)).content.decode()

    assert "pushed out 3 times in the period, by 41 days in all<" in html


def test_dashboard_funnel_and_team_performance_say_the_same_qualified(sales, manager_client, north):
    # A lead that came in on 10 April, qualified on 12 May: May's, by its qualification.
    april_lead = Lead.objects.get(
        created_at=datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC)
    )
    LeadStatusChange.objects.create(
        lead=april_lead,
        to_status="qualified",
        changed_at=datetime.datetime(2026, 5, 12, 12, tzinfo=datetime.UTC),
    )
    may_in_north = {**MAY, "team": north.pk}

    dashboard = manager_client.get(url("dashboard", **may_in_north)).content.decode()
    funnel = without_links(manager_client.get(url("lead_funnel", **may_in_north)).content.decode())
    team = without_links(
        manager_client.get(url("team_performance", **may_in_north)).content.decode()
    )

    assert "3 qualified, 1 converted, 1 won" in dashboard
    assert '<td class="text-end" data-total="qualified">3</td>' in funnel
    north_row = team.split('data-table="teams"', 1)[1].split(f'<tr data-row="{north.pk}">', 1)[1]
    assert north_row.split('data-figure="qualified">', 1)[1].startswith("3<")
    note = "Qualified: leads moved to Qualified in the period, counted on the day of that change"
    assert note in dashboard and note in funnel and note in team


def _period_shown(html: str) -> str:
    option = html.split('name="period"', 1)[1].split(" selected>", 1)[0]
    return option.rsplit('value="', 1)[1].removesuffix('"')


@pytest.mark.parametrize(
    "name", ["dashboard", "team_performance", "lead_funnel", "win_loss", "velocity", "slipped"]
)
def test_every_report_opens_on_this_month(manager_client, name):
    html = manager_client.get(url(name)).content.decode()

    assert _period_shown(html) == "this_month"


def test_the_period_picked_follows_the_user_to_the_next_report(sales, manager_client):
    # She picks May on the win/loss report...
    manager_client.get(url("win_loss", **MAY))

    # ...then opens the velocity report, and the dashboard, without a period.
    velocity = manager_client.get(url("velocity")).content.decode()
    dashboard = manager_client.get(url("dashboard")).content.decode()

    assert _period_shown(velocity) == "custom"
    assert 'name="start" value="2026-05-01"' in velocity
    # May's history, not this month's: the stays of Qualification, Proposal and Contract.
    assert "No stage history in this period." not in velocity
    assert "pushed out 3 times in the period, by 41 days in all<" in dashboard
    assert f'href="{url("pipeline")}?period=custom&amp;start=2026-05-01&amp;end=2026-05-31"' in (
        dashboard
    )


def test_a_period_in_the_address_wins_over_the_remembered_one(sales, manager_client):
    manager_client.get(url("win_loss", **MAY))

    html = manager_client.get(url("win_loss", period="last_year")).content.decode()
    after = manager_client.get(url("slipped")).content.decode()

    assert _period_shown(html) == "last_year"
    # And it is the one remembered from then on.
    assert _period_shown(after) == "last_year"


def test_a_period_with_an_error_is_not_remembered(sales, manager_client):
    manager_client.get(url("win_loss", **MAY))
    manager_client.get(url("win_loss", period="custom", start="2026-06-01"))

    html = manager_client.get(url("slipped")).content.decode()

    assert 'name="start" value="2026-05-01"' in html


def test_pipeline_and_velocity_name_their_days_in_stage_apart(sales, manager_client):
    pipeline = manager_client.get(url("pipeline")).content.decode()
    velocity = manager_client.get(url("velocity", **MAY)).content.decode()

    assert '<th scope="col" class="text-end">Days in current stage (open deals)</th>' in pipeline
    assert "Days in current stage: how long the open deals have been in the stage" in pipeline
    assert (
        '<th scope="col" class="text-end">Average days spent in stage (stays that ended)</th>'
        in velocity
    )
    assert "Average days spent in stage: over the stays that have ended" in velocity
    assert "Average days in stage" not in pipeline + velocity
