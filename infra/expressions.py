"""Small SQL expressions the reports share, written once for SQLite and PostgreSQL."""

from django.db.models import FloatField, Func, Value
from django.db.models.functions import Cast, NullIf


class DaysBetween(Func):
    """Days (with fractions) from ``start`` to ``end``; both may be dates, datetimes or ISO text.

    Django's own date subtraction returns intervals whose averages differ between backends;
    a plain number of days averages the same everywhere.
    """

    arity = 2
    output_field = FloatField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=(
                "CAST(EXTRACT(EPOCH FROM ((%(expressions)s)::timestamp)) AS double precision)"
                " / 86400.0"
            ),
            arg_joiner=")::timestamp - (",
            **extra_context,
        )


def ratio(numerator, denominator):
    """``numerator ÷ denominator`` as a float, or NULL when the denominator is zero."""
    return Cast(numerator, FloatField()) / NullIf(Cast(denominator, FloatField()), Value(0.0))
