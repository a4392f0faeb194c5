"""The report tables: their columns on the page and in the exports, their rows, and where
each figure leads (``reports.links``); how the pages write them.

A page's table is written here rather than by a template loop: an administrator's team
performance has a row for each of some two hundred reps, and a template loop over their
cells costs more than the rest of the page. Every text is escaped; figures are formatted as
the templates' filters format them (``infra.numbers``).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from infra.numbers import Numbers
from reports import exports

Cell = Callable[[Any, Numbers], str]


@dataclass(frozen=True)
class Column:
    """A column of a page's table: ``cell(row, numbers)`` gives its escaped content, ``link(row)``
    the list behind the figure (or None). ``kind``: a ``figure`` (right-aligned), ``text``, or
    the row's ``name`` (its header cell). ``figure`` names it in ``data-figure`` (and in the
    totals row, ``data-total``)."""

    header: str
    cell: Cell
    link: Callable[[Any], str | None] | None = None
    kind: str = "figure"
    figure: str = ""
    css: str = ""
    in_totals: bool = True


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: Any
    empty: str
    export: list[exports.Column]
    # The exported rows when they are not the page's: a function of the scope, called for
    # that table's download alone.
    export_rows: Any = None
    totals: dict | None = None
    row_attribute: Callable[[Any], tuple[str, Any]] | None = None


# --- Cells -----------------------------------------------------------------------------------


def _value(row, key):
    return row.get(key) if isinstance(row, dict) else getattr(row, key)


def count(key: str) -> Cell:
    return lambda row, numbers: numbers.number(_value(row, key))


def amount(key: str, unconverted: str | None = None) -> Cell:
    """An amount in the base currency, with the badge of the deals it leaves out."""
    if unconverted is None:
        return lambda row, numbers: numbers.money(_value(row, key))
    return lambda row, numbers: numbers.money(_value(row, key)) + badge(row[unconverted])


def count_and_amount(count_key: str, amount_key: str, *, wraps: bool = False) -> Cell:
    """ "3 · 1,200.00 EUR"; with ``wraps``, the amount may go to the next line, whole."""
    if wraps:
        return lambda row, numbers: (
            f"{numbers.number(row[count_key])} · <span>{numbers.money(row[amount_key])}</span>"
        )
    return lambda row, numbers: (
        f"{numbers.number(row[count_key])} · {numbers.money(row[amount_key])}"
    )


def percent(key: str) -> Cell:
    return lambda row, numbers: numbers.percent(_value(row, key))


def days(key: str) -> Cell:
    return lambda row, numbers: numbers.days(_value(row, key))


def text(value: Callable[[Any], Any], note: Callable[[Any], Any] | None = None) -> Cell:
    """A name, with a smaller note after it (a stage's pipeline, a period's days)."""
    if note is None:
        return lambda row, numbers: escape(value(row))
    return lambda row, numbers: (
        f'{escape(value(row))} <span class="small text-body-secondary fw-normal">'
        f"{escape(note(row))}</span>"
    )


def badge(count) -> str:
    """The badge beside an amount that leaves out ``count`` deals without a rate; nothing when
    there are none."""
    if not count:
        return ""
    title = gettext(
        "No exchange rate is known for these deals on their date: they are left out of the amounts."
    )
    text = ngettext(
        "%(counter)s deal without a rate", "%(counter)s deals without a rate", count
    ) % {"counter": localize(count)}
    return mark_safe(  # noqa: S308 (both texts are escaped)
        f' <span class="badge text-bg-warning" title="{escape(title)}">{escape(text)}</span>'
    )


def short_date(value) -> str:
    """A date, or a date kept as ISO text in the history, in the local short format."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


# --- Rendering -------------------------------------------------------------------------------


def _cell(column: Column, row, numbers: Numbers, *, total: bool = False) -> str:
    content = column.cell(row, numbers)
    link = column.link(row) if column.link is not None else None
    if link is not None:
        content = f'<a href="{escape(link)}">{content}</a>'
    if column.kind == "name":
        return f'<th scope="row">{content}</th>'
    attributes = ""
    css = column.css or ("text-end" if column.kind == "figure" else "")
    if css:
        attributes = f' class="{css}"'
    if column.figure:
        attributes += f' data-{"total" if total else "figure"}="{column.figure}"'
    return f"<td{attributes}>{content}</td>"


def render(table: Table) -> SafeString:
    """The table as HTML: its header, a row for each row (or the ``empty`` text), and the
    totals row when it has one."""
    numbers = Numbers()
    columns = table.columns
    head = "".join(
        f'<th scope="col"{' class="text-end"' if column.kind == "figure" else ""}>'
        f"{escape(column.header)}</th>"
        for column in columns
    )
    html = [
        '<div class="table-responsive">\n'
        f'<table class="table table-sm report-table" data-table="{escape(table.name)}">\n'
        f"  <thead><tr>{head}</tr></thead>\n  <tbody>\n"
    ]
    rows = list(table.rows)
    for row in rows:
        attribute = ""
        if table.row_attribute is not None:
            name, value = table.row_attribute(row)
            attribute = f' data-{name}="{escape(value)}"'
        cells = "".join(_cell(column, row, numbers) for column in columns)
        html.append(f"<tr{attribute}>{cells}</tr>\n")
    if not rows:
        html.append(
            f'<tr><td colspan="{len(columns)}" class="text-body-secondary">'
            f"{escape(table.empty)}</td></tr>\n"
        )
    html.append("  </tbody>\n")
    if table.totals is not None:
        labels = sum(1 for column in columns if column.kind != "figure")
        span = f' colspan="{labels}"' if labels > 1 else ""
        cells = "".join(
            _cell(column, table.totals, numbers, total=True) if column.in_totals else "<td></td>"
            for column in columns
            if column.kind == "figure"
        )
        html.append(
            f'  <tfoot><tr class="fw-semibold"><td{span}>{escape(_("Total"))}</td>'
            f"{cells}</tr></tfoot>\n"
        )
    html.append("</table>\n</div>\n")
    return mark_safe("".join(html))  # noqa: S308 (every text is escaped, the rest is figures)
