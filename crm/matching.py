"""How emails, phones and domains are normalised so that records can be matched.

The same rules exist twice on purpose: in Python (for the value a user just typed) and as a
database expression (for the stored, indexed columns). They are built from the same constants
so that they cannot drift apart.
"""

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Lower, Replace, Trim

PHONE_SEPARATORS = " -().+/"


def normalize_email(value: str | None) -> str:
    return (value or "").strip().lower()


def normalize_phone(value: str | None) -> str:
    text = (value or "").strip()
    for char in PHONE_SEPARATORS:
        text = text.replace(char, "")
    return text


def normalize_domain(value: str | None) -> str:
    """``https://www.Example.com/about`` and ``someone@example.com`` both become ``example.com``."""
    text = (value or "").strip().lower()
    text = text.rsplit("@", 1)[-1]
    text = text.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return text.removeprefix("www.")


def email_domain(email: str | None) -> str:
    email = normalize_email(email)
    return email.rsplit("@", 1)[-1] if "@" in email else ""


def normalized_email_expression(field: str):
    return Lower(Trim(F(field)))


def normalized_phone_expression(field: str):
    expression = Trim(F(field))
    for char in PHONE_SEPARATORS:
        expression = Replace(expression, Value(char), Value(""))
    return expression


def normalized_email_field(source: str, *, max_length: int = 254) -> models.GeneratedField:
    """A stored column holding ``source`` as ``normalize_email`` writes it, to match on."""
    return models.GeneratedField(
        expression=normalized_email_expression(source),
        output_field=models.CharField(max_length=max_length),
        db_persist=True,
    )


def normalized_phone_field(source: str = "phone") -> models.GeneratedField:
    """A stored column holding ``source`` as ``normalize_phone`` writes it, to match on."""
    return models.GeneratedField(
        expression=normalized_phone_expression(source),
        output_field=models.CharField(max_length=50),
        db_persist=True,
    )
