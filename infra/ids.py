"""Record ids read from a request."""

import re

from django import forms

_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """``value`` as a record id, or None when it cannot be one. ASCII digits only: "²" is a
    digit to ``str.isdigit`` but not to ``int`` or a database; and no more of them than a
    64-bit id holds."""
    text = str(value if value is not None else "")
    return int(text) if _ID.fullmatch(text) else None


# The largest id a 64-bit integer column holds (PostgreSQL's bigint, SQLite's INTEGER).
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """A record id typed by a caller: a whole number a database id can be, or the form's
    message, never a number the database cannot take (SQLite refuses one past 64 bits)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class RecordsField(forms.ModelMultipleChoiceField):
    """Several records by id; a value that cannot be an id is the field's "not a valid value"
    message, before any query (a number past 64 bits made SQLite fail)."""

    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for pk in value:
                if parse_id(pk) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
