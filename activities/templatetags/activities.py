"""Small helpers for the activity templates: none of them queries the database."""

from django import template
from django.urls import NoReverseMatch

from activities.models import Activity, subject_field

register = template.Library()


@register.filter
def record_kind(record) -> str:
    """ "lead", "opportunity", "contact" or "company": the query parameter naming the record."""
    return subject_field(record)


@register.filter
def record_url(record) -> str:
    """The record's page, or "" while that page does not exist."""
    try:
        return record.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


@register.filter
def kind_label(value: str) -> str:
    """The label of an activity kind given by its value (as annotations carry it)."""
    try:
        return Activity.Kind(value).label
    except ValueError:
        return ""
