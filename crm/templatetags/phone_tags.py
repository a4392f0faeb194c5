"""``{{ record.phone|phone }}`` shows a number as people read it; ``tel:{{ record.phone|tel }}``
dials it in E.164 (``crm.phones``)."""

from django import template

from crm.phones import display_phone, tel_phone

register = template.Library()


@register.filter
def phone(value: str | None) -> str:
    return display_phone(value)


@register.filter
def tel(value: str | None) -> str:
    return tel_phone(value)
