"""Formatting for report figures: numbers, charts and the report tables."""

from django import template
from django.utils.safestring import SafeString

from infra.numbers import Numbers, half_up
from reports import charts, tables

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
    return tables.short_date(value)


@register.simple_tag
def chart_svg(chart, title) -> SafeString:
    """``{% chart_svg chart title %}``: a bar chart from ``charts.bar_chart`` as inline SVG."""
    return charts.svg(chart, title)


@register.simple_tag
def unconverted(count) -> str:
    """``{% unconverted count %}``: the badge beside an amount that leaves out ``count`` deals
    without a rate; nothing when there are none."""
    return tables.badge(count)


@register.simple_tag
def report_table(table) -> SafeString:
    """``{% report_table table %}``: a ``tables.Table`` as HTML, every figure linked to the
    list behind it."""
    return tables.render(table)
