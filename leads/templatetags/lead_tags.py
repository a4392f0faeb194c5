from django import template

from leads.views import record_url as _record_url

register = template.Library()


@register.filter
def record_url(record) -> str:
    """The page of a contact, company or opportunity (see ``leads.views.record_url``)."""
    return _record_url(record)
