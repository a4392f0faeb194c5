"""The stage-velocity note of a deal's page.

``{% load opportunity_tags %}{% stage_velocity_note opportunity %}`` renders
``opportunities/includes/stage_velocity.html`` for the deal's current stage.
"""

from django import template

from infra.numbers import Numbers, half_up
from opportunities.velocity import cached_stage_velocity

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.675 → "68 %"; a dash when there was nothing to divide."""
    return Numbers().percent(value)


@register.filter
def rounded(value) -> int:
    """A number of days, rounded half up: ``{% blocktranslate count %}`` picks its plural form
    by a whole number."""
    return half_up(value)


@register.inclusion_tag("opportunities/includes/stage_velocity.html", takes_context=True)
def stage_velocity_note(context, opportunity):
    user = context["request"].user
    velocity = cached_stage_velocity(opportunity.stage, user=user)
    return {"stage": opportunity.stage, "velocity": velocity}
