"""CSV and Excel exports of the report tables, and the column lists that describe each table.

Both files hold the same rows (``infra.spreadsheets``): in the CSV a cell that a spreadsheet
would run as a formula (text starting with = + - @, a tab or a carriage return) is prefixed with
an apostrophe; in the Excel file text is typed as text. Numbers are numbers and dates dates in
both.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from infra import spreadsheets

CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def key(name: str) -> Callable[[dict], Any]:
    return lambda row: row.get(name)


def figure(value: Any) -> Any:
    """A table's value as exported: amounts to the cent, rates to four places."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, Decimal):
        return value.quantize(CENTS)
    return value


def as_date(value: Any) -> Any:
    """A date kept as text (a deal's history holds ``2026-05-20``) as a date."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _table(columns: list[Column], rows: Iterable):
    header = [str(column.header) for column in columns]
    return header, ([figure(column.value(row)) for column in columns] for row in rows)


def csv_response(filename: str, columns: list[Column], rows: Iterable) -> HttpResponse:
    header, values = _table(columns, rows)
    response = HttpResponse(
        spreadsheets.csv_lines(header, values), content_type=spreadsheets.CSV_CONTENT_TYPE
    )
    return spreadsheets.download(response, f"{filename}.csv")


def xlsx_response(filename: str, columns: list[Column], rows: Iterable) -> HttpResponse:
    header, values = _table(columns, rows)
    return spreadsheets.xlsx_response(f"{filename}.xlsx", header, values)


# The downloads a report table offers, by its ``?format=``.
FORMATS = {"csv": csv_response, "xlsx": xlsx_response}


def who_label(who) -> str:
    """A team performance row's name: the rep's or team's, "Unassigned" for no one's."""
    return str(who) if who is not None else str(_("Unassigned"))


def unconverted_column() -> Column:
    return Column(_("Deals without a rate"), key("unconverted"))


STAGE_COLUMNS = [
    Column(_("Pipeline"), key("pipeline__name")),
    Column(_("Stage"), key("stage__name")),
]

PIPELINE_COLUMNS = [
    *STAGE_COLUMNS,
    Column(_("Open deals"), key("count")),
    Column(_("Amount"), key("amount")),
    Column(_("Weighted amount"), key("weighted")),
    Column(_("Days in current stage (open deals)"), key("avg_days")),
    unconverted_column(),
]

FORECAST_COLUMNS = [
    Column(_("Period"), lambda row: row["period"].label),
    Column(_("From"), lambda row: row["period"].start),
    Column(_("To"), lambda row: row["period"].end),
    Column(_("Won"), key("won")),
    Column(_("Commit"), key("commit")),
    Column(_("Best case"), key("best_case")),
    Column(_("Pipeline"), key("pipeline")),
    Column(_("Weighted"), key("weighted")),
    Column(_("Won + commit"), key("expected")),
    Column(_("Won + commit + best case"), key("upside")),
    Column(_("Open deals"), key("open_deals")),
    unconverted_column(),
]

PERFORMANCE_COLUMNS = [
    Column(_("Name"), lambda row: who_label(row["who"])),
    Column(_("Leads received"), key("leads_received")),
    Column(_("Leads qualified"), key("leads_qualified")),
    Column(_("Leads converted"), key("leads_converted")),
    Column(_("Opportunities created"), key("created")),
    Column(_("Won"), key("won_count")),
    Column(_("Won amount"), key("won_amount")),
    Column(_("Lost"), key("lost_count")),
    Column(_("Lost amount"), key("lost_amount")),
    Column(_("Win rate"), key("win_rate")),
    Column(_("Average deal size"), key("avg_deal")),
    Column(_("Average sales cycle (days)"), key("avg_cycle_days")),
    Column(_("Activities done"), key("activities_done")),
    Column(_("Open pipeline"), key("open_amount")),
    Column(_("Open deals"), key("open_count")),
    Column(_("Deals without a next step"), key("no_next_step")),
    unconverted_column(),
]

FUNNEL_COLUMNS = [
    Column(_("Source"), lambda row: row.get("source__name") or _("No source")),
    Column(_("Leads received"), key("leads")),
    Column(_("Leads qualified"), key("qualified")),
    Column(_("Leads converted"), key("converted")),
    Column(_("Deals won"), key("won_count")),
    Column(_("Won amount"), key("won_amount")),
    unconverted_column(),
]

# The deals lost in a group (a reason, a stage) and their amount.
LOST_FIGURES = [
    Column(_("Deals lost"), key("count")),
    Column(_("Amount"), key("amount")),
    unconverted_column(),
]

REASON_COLUMNS = [Column(_("Lost reason"), key("lost_reason__name")), *LOST_FIGURES]

COMPETITOR_COLUMNS = [
    Column(_("Competitor"), key("competitor")),
    Column(_("Lost to them"), key("lost_count")),
    Column(_("Amount lost"), key("lost_amount")),
    Column(_("Won against them"), key("won_count")),
    Column(_("Amount won"), key("won_amount")),
    unconverted_column(),
]

LOST_STAGE_COLUMNS = [*STAGE_COLUMNS, *LOST_FIGURES]

VELOCITY_COLUMNS = [
    Column(_("Pipeline"), lambda row: row["stage"].pipeline.name),
    Column(_("Stage"), lambda row: row["stage"].name),
    Column(_("Entries"), key("entries")),
    Column(_("Average days spent in stage (stays that ended)"), key("avg_days")),
    Column(_("Share moving on"), key("move_on_rate")),
    Column(_("Win chance"), key("win_chance")),
    Column(_("Days to close when won"), key("days_to_close")),
]

CALIBRATION_STAGE_COLUMNS = [
    Column(_("Pipeline"), lambda row: row["stage"].pipeline.name),
    Column(_("Stage"), lambda row: row["stage"].name),
    Column(_("Stage probability"), key("probability")),
    Column(_("Closed deals that were in it"), key("closed")),
    Column(_("Won of them"), key("won")),
    Column(_("History's rate"), key("rate")),
    Column(_("Open deals"), key("open")),
    Column(_("Weighted by probability"), key("weighted")),
    Column(_("Weighted by history"), key("history_weighted")),
]

CALIBRATION_REP_COLUMNS = [
    Column(_("Owner"), key("name")),
    Column(_("Closed deals"), key("closed")),
    Column(_("Average probability given"), key("given")),
    Column(_("Share won"), key("won")),
    Column(_("Called too high by"), key("gap")),
    Column(_("Brier score"), key("brier")),
]

SLIPPED_COLUMNS = [
    Column(_("Opportunity"), lambda deal: deal.name),
    Column(_("Owner"), lambda deal: str(deal.owner) if deal.owner else ""),
    Column(_("Stage"), lambda deal: deal.stage.name),
    Column(_("Currency"), lambda deal: deal.currency),
    Column(_("Amount"), lambda deal: deal.amount),
    Column(_("Amount in base currency"), lambda deal: deal.base_amount),
    Column(_("Close date before"), lambda deal: as_date(deal.first_date)),
    Column(_("Expected close date"), lambda deal: deal.expected_close_date),
    Column(_("Times pushed"), lambda deal: deal.pushes),
    Column(_("Days pushed"), lambda deal: deal.days_pushed),
]
