"""Formatting for report figures, and the stage-velocity note of the opportunity page.

``{% load report_tags %}{% stage_velocity_note opportunity %}`` renders
``reports/includes/stage_velocity.html`` for the deal's current stage.
"""

import datetime

from django import template
from django.conf import settings
from django.utils.formats import date_format, number_format

from opportunities.reports.velocity import cached_stage_velocity

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.675 → "68 %"; empty when there was nothing to divide."""
    if value is None or value == "":
        return "–"
    return f"{number_format(round(float(value) * 100))} %"


@register.filter
def days(value) -> str:
    """A number of days, to one decimal; a dash when unknown."""
    if value is None or value == "":
        return "–"
    return number_format(round(float(value), 1), decimal_pos=1)


@register.filter
def money(value) -> str:
    """An amount in the base currency, with its code: "10,000.00 EUR"."""
    if value is None or value == "":
        value = 0
    return f"{number_format(value, decimal_pos=2, force_grouping=True)} {settings.BASE_CURRENCY}"


@register.filter
def short_date(value) -> str:
    """A date, or a date kept as ISO text in the history, in the local short format."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


@register.inclusion_tag("reports/includes/stage_velocity.html", takes_context=True)
def stage_velocity_note(context, opportunity):
    user = context["request"].user
    velocity = cached_stage_velocity(opportunity.stage, user=user)
    return {"stage": opportunity.stage, "velocity": velocity}
