"""Each report page's chart and tables, built from its figures (``reports.metrics``) with the
links of its scope (``reports.links``): every bar and figure leads to the list of deals or
leads it counts, where there is one (velocity counts stays, not deals: no list is behind it).
"""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from infra.numbers import Numbers
from reports import exports, metrics
from reports.charts import Chart, bar_chart
from reports.exports import who_label
from reports.links import Links, whose
from reports.tables import (
    Column,
    Table,
    amount,
    badge,
    count,
    count_and_amount,
    days,
    percent,
    short_date,
    text,
)

BLUE, GREEN, TEAL, YELLOW, GREY, RED = (
    "#0d6efd",
    "#198754",
    "#20c997",
    "#ffc107",
    "#adb5bd",
    "#dc3545",
)


@dataclass
class Page:
    chart: Chart
    tables: list[Table]


# --- Pipeline --------------------------------------------------------------------------------


def pipeline(report: dict, links: Links) -> Page:
    def open_in_stage(row):
        # The totals row has no stage: every open deal.
        return links.open(stage=row["stage"]) if "stage" in row else links.open()

    columns = [
        Column(_("Pipeline"), text(lambda row: row["pipeline__name"]), kind="text"),
        Column(_("Stage"), text(lambda row: row["stage__name"]), kind="text"),
        Column(_("Open deals"), count("count"), open_in_stage, figure="count"),
        Column(_("Amount"), amount("amount", "unconverted"), open_in_stage, figure="amount"),
        Column(_("Weighted amount"), amount("weighted"), open_in_stage, figure="weighted"),
        Column(_("Days in current stage (open deals)"), days("avg_days"), in_totals=False),
    ]
    return Page(
        bar_chart(
            report["rows"],
            title=_("Open pipeline by stage"),
            label="stage__name",
            series=[("amount", "", BLUE)],
            link=lambda row, key: open_in_stage(row),
        ),
        [
            Table(
                "stages",
                _("Open deals by stage"),
                columns,
                report["rows"],
                _("No open deals."),
                exports.PIPELINE_COLUMNS,
                totals=report["totals"],
            )
        ],
    )


# --- Forecast --------------------------------------------------------------------------------


def forecast_link(links: Links, period, key: str) -> str:
    """The deals behind a forecast figure of ``period``: won in it, or open and expected to
    close in it in the category ``key`` (``weighted`` and ``open_deals``: any but omitted)."""
    start, end = period.start.isoformat(), period.end.isoformat()
    if key == "won":
        return links.deals(status="won", closed_from=start, closed_to=end)
    category = "forecast" if key in ("weighted", "open_deals") else key
    return links.open(close_from=start, close_to=end, forecast=category)


def _period_days(row) -> str:
    period = row["period"]
    return f"{date_format(period.start, 'j M')} – {date_format(period.end, 'j M Y')}"


def forecast(report: dict, links: Links) -> Page:
    def figure(header, key, cell=None):
        link = lambda row: forecast_link(links, row["period"], key)  # noqa: E731
        return Column(header, cell or amount(key), link, figure=key)

    columns = [
        Column(_("Period"), text(lambda row: row["period"].label, _period_days), kind="name"),
        figure(_("Won so far"), "won"),
        figure(_("Commit"), "commit"),
        figure(_("Best case"), "best_case"),
        figure(_("Pipeline"), "pipeline"),
        figure(_("Weighted"), "weighted"),
        # Two lists of deals (won, and open in commit): no one list is behind it.
        Column(_("Won + commit"), amount("expected", "unconverted"), css="text-end fw-semibold"),
        figure(_("Open deals"), "open_deals", count("open_deals")),
    ]
    chart = bar_chart(
        report["rows"],
        title=_("Forecast by period"),
        label=lambda row: row["period"].label,
        series=[
            ("won", _("Won"), GREEN),
            ("commit", _("Commit"), BLUE),
            ("best_case", _("Best case"), TEAL),
            ("pipeline", _("Pipeline"), GREY),
        ],
        link=lambda row, key: forecast_link(links, row["period"], key),
    )
    table = Table(
        "periods",
        _("Months and quarters"),
        columns,
        report["rows"],
        "",
        exports.FORECAST_COLUMNS,
        row_attribute=lambda row: ("period", row["period"].key),
    )
    return Page(chart, [table])


# --- Team performance and the dashboard --------------------------------------------------------


def _row_of(row) -> tuple[str, Any]:
    return ("row", row["who"].pk if row["who"] is not None else "unassigned")


def _average_deal(row, numbers: Numbers) -> str:
    return "–" if row["avg_deal"] is None else numbers.money(row["avg_deal"])


def performance_columns(links: Links, who_header: str) -> list[Column]:
    """The columns of a team performance table, each figure linked to the rep's, team's or
    no one's records that it counts (rates, averages and activities have no list)."""

    def link(rule: str, **filters):
        method = getattr(links, rule)
        return lambda row: method(**whose(row["who"]), **filters)

    return [
        Column(who_header, text(lambda row: who_label(row["who"])), kind="name"),
        Column(_("Leads"), count("leads_received"), link("leads_received"), figure="leads"),
        Column(
            _("Qualified"), count("leads_qualified"), link("leads_qualified"), figure="qualified"
        ),
        Column(
            _("Converted"), count("leads_converted"), link("leads_converted"), figure="converted"
        ),
        Column(_("Deals created"), count("created"), link("created"), figure="created"),
        Column(
            _("Won"),
            count_and_amount("won_count", "won_amount"),
            link("closed", status="won"),
            figure="won",
        ),
        Column(
            _("Lost"),
            count_and_amount("lost_count", "lost_amount"),
            link("closed", status="lost"),
            figure="lost",
        ),
        Column(_("Win rate"), percent("win_rate"), figure="win-rate"),
        Column(_("Average deal"), _average_deal),
        Column(_("Sales cycle (days)"), days("avg_cycle_days")),
        Column(_("Activities done"), count("activities_done"), figure="activities"),
        Column(
            _("Open pipeline"), amount("open_amount", "unconverted"), link("open"), figure="open"
        ),
        Column(_("No next step"), count("no_next_step"), figure="no-next-step"),
    ]


def _performance_chart(links: Links, rows, title, second: tuple[str, str, str]) -> Chart:
    """Won amounts per rep, and ``second`` (open or lost amounts) after them."""
    lists = {
        "won_amount": lambda who: links.closed("won", **who),
        "lost_amount": lambda who: links.closed("lost", **who),
        "open_amount": lambda who: links.open(**who),
    }
    return bar_chart(
        rows,
        title=title,
        label=lambda row: who_label(row["who"]),
        series=[("won_amount", _("Won"), GREEN), second],
        link=lambda row, key: lists[key](whose(row["who"])),
    )


def _performance_table(name, title, columns, rows) -> Table:
    return Table(
        name,
        title,
        columns,
        rows,
        _("Nobody to show."),
        exports.PERFORMANCE_COLUMNS,
        row_attribute=_row_of,
    )


def team_performance(report: dict, links: Links) -> Page:
    return Page(
        _performance_chart(
            links,
            report["reps"],
            _("Won and lost amounts per rep"),
            ("lost_amount", _("Lost"), RED),
        ),
        [
            _performance_table(
                "reps", _("Reps"), performance_columns(links, _("Rep")), report["reps"]
            ),
            _performance_table(
                "teams", _("Teams"), performance_columns(links, _("Team")), report["teams"]
            ),
        ],
    )


DASHBOARD_FIGURES = {"won", "lost", "win-rate", "activities", "open", "no-next-step"}


def dashboard(report: dict, links: Links) -> Page:
    reps = report["performance"]["reps"]
    columns = [
        column
        for column in performance_columns(links, _("Rep"))
        if column.kind == "name" or column.figure in DASHBOARD_FIGURES
    ]
    return Page(
        _performance_chart(
            links, reps, _("Won and open amounts per rep"), ("open_amount", _("Open"), GREY)
        ),
        [
            _performance_table("reps", "", columns, reps),
            # For its export alone: the page shows the slipped deals' headline only.
            Table(
                "slipped",
                "",
                [],
                [],
                "",
                exports.SLIPPED_COLUMNS,
                export_rows=lambda scope: metrics.slipped_report(scope)["deals"],
            ),
        ],
    )


# --- Lead funnel -------------------------------------------------------------------------------


def _leads_of_source(row) -> dict:
    if "source" not in row:  # the totals: every source
        return {}
    return {"source": row["source"] if row["source"] is not None else "null"}


def _deals_of_source(row) -> dict:
    if "source" not in row:  # the totals: deals from any lead
        return {"from_lead": "true"}
    return {"lead_source": row["source"] if row["source"] is not None else "null"}


def lead_funnel(report: dict, links: Links) -> Page:
    def leads(rule):
        method = getattr(links, rule)
        return lambda row: method(**_leads_of_source(row))

    def won(row):
        return links.closed("won", **_deals_of_source(row))

    steps = [
        (_("Leads"), "leads", leads("leads_received")),
        (_("Qualified"), "qualified", leads("leads_qualified")),
        (_("Converted"), "converted", leads("leads_converted")),
    ]
    columns = [
        Column(_("Source"), text(lambda row: row["source__name"] or _("No source")), kind="name"),
        *(Column(header, count(key), link, figure=key) for header, key, link in steps),
        Column(_("Deals won"), count("won_count"), won, figure="won"),
        Column(_("Won amount"), amount("won_amount", "unconverted"), won, figure="won-amount"),
    ]
    totals = report["totals"]
    bars = [
        *(
            {"label": header, "value": totals[key], "link": link(totals)}
            for header, key, link in steps
        ),
        {"label": _("Deals won"), "value": totals["won_count"], "link": won(totals)},
    ]
    chart = bar_chart(
        bars,
        title=_("Lead funnel"),
        label="label",
        series=[("value", "", BLUE)],
        link=lambda row, key: row["link"],
    )
    table = Table(
        "sources",
        _("By source"),
        columns,
        report["rows"],
        _("No leads in this period."),
        exports.FUNNEL_COLUMNS,
        totals=totals,
    )
    return Page(chart, [table])


# --- Win/loss ----------------------------------------------------------------------------------


def win_loss(report: dict, links: Links) -> Page:
    def lost_for_reason(row):
        return links.closed("lost", lost_reason=row["lost_reason"] or "null")

    def against(status):
        return lambda row: links.closed(status, competitor=row["competitor"])

    def lost_in_stage(row):
        return links.closed("lost", stage=row["stage"])

    def lost_figures(link, *, unconverted: str | None = None):
        return [
            Column(_("Deals"), count("count"), link, figure="count"),
            Column(_("Amount"), amount("amount", unconverted), link, figure="amount"),
        ]

    def pair(header, status):
        cell = count_and_amount(f"{status}_count", f"{status}_amount", wraps=True)
        return Column(header, cell, against(status), figure=status, css="text-end report-pair")

    reasons = Table(
        "reasons",
        _("Lost reasons"),
        [
            Column(_("Reason"), text(lambda row: row["lost_reason__name"] or ""), kind="name"),
            *lost_figures(lost_for_reason, unconverted="unconverted"),
        ],
        report["reasons"],
        _("No deals lost."),
        exports.REASON_COLUMNS,
    )
    competitors = Table(
        "competitors",
        _("Competitors"),
        [
            Column(_("Competitor"), text(lambda row: row["competitor"]), kind="name"),
            pair(_("Lost to"), "lost"),
            pair(_("Won against"), "won"),
        ],
        report["competitors"],
        _("No competitors named."),
        exports.COMPETITOR_COLUMNS,
    )
    stage_name = text(lambda row: row["stage__name"], lambda row: row["pipeline__name"])
    stages = Table(
        "stages",
        _("Stage when lost"),
        [Column(_("Stage"), stage_name, kind="name"), *lost_figures(lost_in_stage)],
        report["stages"],
        _("No deals lost."),
        exports.LOST_STAGE_COLUMNS,
    )
    chart = bar_chart(
        report["reasons"],
        title=_("Amount lost by reason"),
        label="lost_reason__name",
        series=[("amount", "", RED)],
        link=lambda row, key: lost_for_reason(row),
    )
    return Page(chart, [reasons, competitors, stages])


# --- Velocity ----------------------------------------------------------------------------------


def velocity(report: dict, links: Links) -> Page:
    stage_name = text(lambda row: row["stage"].name, lambda row: row["stage"].pipeline.name)
    columns = [
        Column(_("Stage"), stage_name, kind="name"),
        Column(_("Entries"), count("entries")),
        Column(_("Average days spent in stage (stays that ended)"), days("avg_days")),
        Column(_("Moved on"), percent("move_on_rate")),
        Column(_("Win chance from here"), percent("win_chance")),
        Column(_("Days to close when won"), days("days_to_close")),
    ]
    chart = bar_chart(
        report["rows"],
        title=_("Average days spent in each stage (stays that ended)"),
        label=lambda row: row["stage"].name,
        series=[("avg_days", "", YELLOW)],
    )
    table = Table(
        "stages",
        _("Stages"),
        columns,
        report["rows"],
        _("No stage history in this period."),
        exports.VELOCITY_COLUMNS,
    )
    return Page(chart, [table])


# --- Calibration -------------------------------------------------------------------------------


def _score(key: str):
    return lambda row, numbers: (
        "–" if row.get(key) is None else numbers.number(round(row[key], 3), 3)
    )


def _points(key: str):
    """A difference of two shares, in percentage points, signed: "+22", "−5"."""

    def cell(row, numbers):
        value = row.get(key)
        if value is None:
            return "–"
        points = round(value * 100)
        return f"+{numbers.number(points)}" if points > 0 else numbers.number(points)

    return cell


def calibration(report: dict, links: Links) -> Page:
    stage_name = text(lambda row: row["stage"].name, lambda row: row["stage"].pipeline.name)
    stages = Table(
        "stages",
        _("Stages: their probability and what history says"),
        [
            Column(_("Stage"), stage_name, kind="name"),
            Column(_("Stage probability"), percent("probability"), in_totals=False),
            Column(
                _("Closed deals that were in it"), count("closed"), figure="closed", in_totals=False
            ),
            Column(_("Won from here"), percent("rate"), figure="rate", in_totals=False),
            Column(_("Open deals"), count("open"), figure="open"),
            Column(_("Weighted by probability"), amount("weighted"), figure="weighted"),
            Column(_("Weighted by history"), amount("history_weighted"), figure="history"),
        ],
        report["rows"],
        _("No deals in these stages."),
        exports.CALIBRATION_STAGE_COLUMNS,
        totals=report["totals"],
    )
    reps = Table(
        "reps",
        _("Reps: the probabilities they gave and what was won"),
        [
            Column(_("Owner"), text(lambda row: row["name"]), kind="name"),
            Column(_("Closed deals"), count("closed"), figure="closed"),
            Column(_("Average probability given"), percent("given"), figure="given"),
            Column(_("Share won"), percent("won"), figure="won"),
            Column(_("Called too high by (points)"), _points("gap"), figure="gap"),
            Column(_("Brier score"), _score("brier"), figure="brier"),
        ],
        report["reps"],
        _("No deal closed in the last 12 months."),
        exports.CALIBRATION_REP_COLUMNS,
        row_attribute=lambda row: ("owner", row["owner"] or ""),
    )
    chart = bar_chart(
        [row for row in report["rows"] if row["rate"] is not None],
        title=_("Won from each stage, last 12 months"),
        label=lambda row: row["stage"].name,
        series=[("rate", "", GREEN)],
    )
    return Page(chart, [stages, reps])


# --- Slipped deals -----------------------------------------------------------------------------


def deal_url(deal) -> str | None:
    try:
        return reverse("opportunities:detail", args=[deal.pk])
    except NoReverseMatch:
        return None


def _slipped_amount(deal, numbers: Numbers) -> str:
    if deal.base_amount is None:
        amount_text = numbers.number(deal.amount, 2, grouped=True)
        return f"{amount_text} {escape(deal.currency)} {badge(1)}"
    return numbers.money(deal.base_amount)


def slipped_columns() -> list[Column]:
    dates: dict = {}  # each date's text, made once: many deals share their dates

    def day(key):
        def cell(deal, numbers):
            value = getattr(deal, key)
            if value not in dates:
                dates[value] = escape(short_date(value))
            return dates[value]

        return cell

    def days_pushed(deal, numbers):
        return "" if deal.days_pushed is None else numbers.whole(deal.days_pushed)

    return [
        Column(_("Opportunity"), text(lambda deal: deal.name), deal_url, kind="name"),
        Column(_("Owner"), text(lambda deal: deal.owner or "–"), kind="text"),
        Column(_("Stage"), text(lambda deal: deal.stage.name), kind="text"),
        Column(_("Amount"), _slipped_amount),
        Column(_("Was expected"), day("first_date"), kind="text"),
        Column(_("Now expected"), day("expected_close_date"), kind="text"),
        Column(_("Times pushed"), count("pushes")),
        Column(_("Days pushed"), days_pushed),
    ]


def slipped(report: dict, links: Links) -> Page:
    chart = bar_chart(
        report["deals"][:10],
        title=_("Days pushed out, per deal"),
        label="name",
        series=[("days_pushed", "", RED)],
        link=lambda deal, key: deal_url(deal),
    )
    table = Table(
        "deals",
        _("Deals"),
        slipped_columns(),
        report["deals"],
        _("No deal was pushed out in this period."),
        exports.SLIPPED_COLUMNS,
    )
    return Page(chart, [table])
