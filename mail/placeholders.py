"""Placeholders in an email's subject and body: ``{{ contact.first_name }}`` and a few more,
filled in by plain substitution from a fixed list of values. Nothing else of a record can be
reached from a template, and anything that is not on the list is refused by name."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
TAG = re.compile(r"\{%.*?%\}", re.DOTALL)

# Every placeholder, each read from the recipient, the record or the sender by a plain key.
NAMES = (
    "contact.first_name",
    "contact.last_name",
    "contact.full_name",
    "contact.email",
    "company.name",
    "opportunity.name",
    "sender.first_name",
    "sender.full_name",
    "sender.email",
)


@dataclass(frozen=True)
class Values:
    """What the placeholders of one email stand for; None where the email has no such thing
    (no deal for ``opportunity.name`` from a contact's page)."""

    contact: object = None  # the first recipient: a Contact or a Lead
    company_name: str | None = None
    opportunity_name: str | None = None
    sender: object = None

    def get(self, name: str) -> str | None:
        contact, sender = self.contact, self.sender
        value = {
            "contact.first_name": contact and contact.first_name,
            "contact.last_name": contact and contact.last_name,
            "contact.full_name": contact and contact.full_name,
            "contact.email": contact and contact.email,
            "company.name": self.company_name,
            "opportunity.name": self.opportunity_name,
            "sender.first_name": sender and sender.first_name,
            "sender.full_name": sender and (sender.get_full_name() or sender.username),
            "sender.email": sender and sender.email,
        }[name]
        return None if value is None else str(value)


def names_in(text: str) -> list[str]:
    return [match.strip() for match in PLACEHOLDER.findall(text)]


def check(text: str) -> None:
    """Refuse text whose placeholders are not all on the list, naming the first that is not."""
    if TAG.search(text):
        raise ValidationError(_("Only placeholders such as {{ contact.first_name }} may be used."))
    for name in names_in(text):
        if name not in NAMES:
            raise ValidationError(
                _("Unknown placeholder {{ %(name)s }}. Use one of: %(names)s.")
                % {"name": name, "names": ", ".join(f"{{{{ {known} }}}}" for known in NAMES)}
            )


def fill(text: str, values: Values, *, html: bool = False) -> str:
    """``text`` with its placeholders replaced (escaped in HTML). A placeholder the email has no
    value for is refused by name, rather than sent empty."""
    check(text)

    def replace(match: re.Match) -> str:
        name = match.group(1).strip()
        value = values.get(name)
        if value is None:
            raise ValidationError(
                _("{{ %(name)s }} has nothing to stand for in this email.") % {"name": name}
            )
        return escape(value) if html else value

    return PLACEHOLDER.sub(replace, text)
