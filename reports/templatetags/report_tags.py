"""Formatting for report figures: numbers, charts and the rows of the report tables."""

import datetime

from django import template
from django.template.defaultfilters import floatformat
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from infra.numbers import Numbers, half_up
from reports import charts
from reports.exports import who_label

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.675 → "68 %"; a dash when there was nothing to divide."""
    return Numbers().percent(value)


@register.filter
def days(value) -> str:
    """A number of days, to one decimal; a dash when unknown."""
    return Numbers().days(value)


@register.filter
def rounded(value) -> int:
    """A number of days or the like, rounded half up: ``{% blocktranslate count %}`` picks
    its plural form by a whole number."""
    return half_up(value)


@register.filter
def money(value) -> str:
    """An amount in the base currency, with its code: "10,000.00 EUR"."""
    return Numbers().money(value)


@register.filter
def short_date(value) -> str:
    """A date, or a date kept as ISO text in the history, in the local short format."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


@register.simple_tag
def chart_svg(chart, title) -> SafeString:
    """``{% chart_svg chart title %}``: a bar chart from ``charts.bar_chart`` as inline SVG."""
    return charts.svg(chart, title)


@register.simple_tag
def unconverted(count) -> str:
    """``{% unconverted count %}``: the badge beside an amount that leaves out ``count`` deals
    without a rate; nothing when there are none. A tag rather than an include: it sits in every
    row of tables that can run to hundreds of rows."""
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


def _rows(rows, cells) -> SafeString:
    numbers = Numbers()
    badges = {}  # the badge for each count of deals without a rate, made once
    html = []
    for row in rows:
        count = row["unconverted"]
        badge = badges.get(count)
        if badge is None:
            badge = badges[count] = unconverted(count)
        who = row["who"]
        html.append(
            f'<tr data-row="{who.pk if who else "unassigned"}">'
            f'<th scope="row">{escape(who_label(who))}</th>'
            f"{cells(row, numbers, badge)}</tr>\n"
        )
    return mark_safe("".join(html))  # noqa: S308 (names are escaped, the rest is figures)


def _performance_cells(row, numbers: Numbers, badge: str) -> str:
    number, money = numbers.number, numbers.money
    avg_deal = "–" if row["avg_deal"] is None else money(row["avg_deal"])
    return (
        f'<td class="text-end">{number(row["leads_received"])}</td>'
        f'<td class="text-end" data-figure="qualified">{number(row["leads_qualified"])}</td>'
        f'<td class="text-end">{number(row["leads_converted"])}</td>'
        f'<td class="text-end">{number(row["created"])}</td>'
        f'<td class="text-end" data-figure="won">{number(row["won_count"])} · '
        f"{money(row['won_amount'])}</td>"
        f'<td class="text-end" data-figure="lost">{number(row["lost_count"])} · '
        f"{money(row['lost_amount'])}</td>"
        f'<td class="text-end" data-figure="win-rate">{numbers.percent(row["win_rate"])}</td>'
        f'<td class="text-end">{avg_deal}</td>'
        f'<td class="text-end">{numbers.days(row["avg_cycle_days"])}</td>'
        f'<td class="text-end">{number(row["activities_done"])}</td>'
        f'<td class="text-end">{money(row["open_amount"])}{badge}</td>'
        f'<td class="text-end" data-figure="no-next-step">{number(row["no_next_step"])}</td>'
    )


def _summary_cells(row, numbers: Numbers, badge: str) -> str:
    number, money = numbers.number, numbers.money
    return (
        f'<td class="text-end" data-figure="won">{number(row["won_count"])} · '
        f"{money(row['won_amount'])}</td>"
        f'<td class="text-end">{number(row["lost_count"])} · {money(row["lost_amount"])}</td>'
        f'<td class="text-end">{numbers.percent(row["win_rate"])}</td>'
        f'<td class="text-end">{number(row["activities_done"])}</td>'
        f'<td class="text-end">{money(row["open_amount"])}{badge}</td>'
        f'<td class="text-end">{number(row["no_next_step"])}</td>'
    )


@register.simple_tag
def performance_rows(rows) -> SafeString:
    """``{% performance_rows rows %}``: a table row for each row of
    ``metrics.team_performance_report``, every figure of it. Built here rather than in a
    template loop: an administrator's table has a row for each of some two hundred reps."""
    return _rows(rows, _performance_cells)


@register.simple_tag
def performance_summary_rows(rows) -> SafeString:
    """``{% performance_summary_rows rows %}``: the dashboard's shorter rows (won, lost, win
    rate, activities, open pipeline, no next step) for the same rows."""
    return _rows(rows, _summary_cells)


@register.simple_tag
def slipped_rows(deals) -> SafeString:
    """``{% slipped_rows deals %}``: a table row for each deal of ``metrics.slipped_report``
    (up to a hundred on the page), written here rather than in a template loop."""
    numbers = Numbers()
    dates = {}  # each date's text, made once: many deals share their dates
    html = []

    def day(value) -> str:
        text = dates.get(value)
        if text is None:
            text = dates[value] = escape(short_date(value))
        return text

    for deal in deals:
        name = escape(deal.name)
        try:
            link = f'<a href="{escape(reverse("opportunities:detail", args=[deal.pk]))}">{name}</a>'
        except NoReverseMatch:
            link = name
        if deal.base_amount is None:
            amount = f"{floatformat(deal.amount, '2g')} {escape(deal.currency)} {unconverted(1)}"
        else:
            amount = numbers.money(deal.base_amount)
        days_pushed = "" if deal.days_pushed is None else numbers.whole(deal.days_pushed)
        html.append(
            f'<tr><th scope="row">{link}</th>'
            f"<td>{escape(deal.owner or '–')}</td>"
            f"<td>{escape(deal.stage.name)}</td>"
            f'<td class="text-end">{amount}</td>'
            f"<td>{day(deal.first_date)}</td>"
            f"<td>{day(deal.expected_close_date)}</td>"
            f'<td class="text-end">{numbers.number(deal.pushes)}</td>'
            f'<td class="text-end">{days_pushed}</td></tr>\n'
        )
    return mark_safe("".join(html))  # noqa: S308 (every text is escaped)
