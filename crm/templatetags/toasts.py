"""``{% undo_of message as undo %}``: the Undo a message's toast offers (``infra.toasts``)."""

from django import template

from infra import toasts

register = template.Library()


@register.simple_tag
def undo_of(message) -> toasts.Undo | None:
    return toasts.undo_of(message)


@register.filter
def toast_colour(level_tag: str) -> str:
    """The Bootstrap colour of a message level: an error is "danger"."""
    return {"error": "danger", "debug": "secondary", "": "info"}.get(level_tag, level_tag)
