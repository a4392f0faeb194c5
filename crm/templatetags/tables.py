"""``{% column_heads _("Name") _("Role") actions=True %}``: the header row of a plain table."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/column_heads.html")
def column_heads(*labels: str, actions: bool = False) -> dict:
    """One column per label; with ``actions``, a last column for the row's buttons, named for
    screen readers only."""
    return {"labels": labels, "actions": actions}
