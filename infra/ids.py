"""Record ids read from a request."""

import re

_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """``value`` as a record id, or None when it cannot be one. ASCII digits only: "²" is a
    digit to ``str.isdigit`` but not to ``int`` or a database; and no more of them than a
    64-bit id holds."""
    text = str(value if value is not None else "")
    return int(text) if _ID.fullmatch(text) else None
