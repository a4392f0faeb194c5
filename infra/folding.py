"""Text compared whatever its case and accents: "JIMÉNEZ", "jimenez" and "Jiménez" are one.

``Folded(expression)`` is ``search_fold(expression)`` in SQL: the text in lower case, without
accents. On PostgreSQL the function wraps the ``unaccent`` extension and is declared IMMUTABLE,
so that trigram indexes can be built on it (both are made by the search app's migrations); on
SQLite it is ``fold`` below, registered on every new connection by ``register_fold``.
"""

import unicodedata

from django.db.models import CharField, Func, Q, Value
from django.db.models.lookups import Contains

FUNCTION = "search_fold"

# Letters that carry their mark in themselves, so that Unicode does not decompose them, but
# that PostgreSQL's unaccent rules still read plain: SQLite must fold them alike.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str | None) -> str | None:
    """``text`` in lower case, its accents taken off: what ``search_fold`` answers."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Folded(Func):
    function = FUNCTION
    output_field = CharField()


def contains_folded(field: str, text: str) -> Q:
    """``field`` contains ``text``, both folded: ``search_fold(field) LIKE '%' ||
    search_fold(text) || '%'``. The pattern is folded by the database too, so that both sides
    go through one function; on PostgreSQL it is a constant the planner works out, and the
    trigram index on ``search_fold(field)`` serves the LIKE."""
    return Q(Contains(Folded(field), Folded(Value(text))))


def register_fold(sender, connection, **kwargs) -> None:
    """Give a new SQLite connection its ``search_fold`` (``connection_created`` receiver)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, fold, deterministic=True)
