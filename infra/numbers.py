"""How report figures read: amounts, rates, days and whole numbers in the active language.

The same text as Django's ``number_format`` and ``floatformat`` give, with the language's
separators looked up once per ``Numbers`` rather than once per figure: an administrator's
tables and charts hold thousands of figures, and the lookups cost more than the formatting.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language

ONE = Decimal(1)
CENT = Decimal("0.01")


def half_up(value) -> int:
    """A finite number rounded half up to a whole one, as ``floatformat:"0"`` rounds it: also
    the count that picks a plural form ("1 day", "2 days")."""
    return int(Decimal(str(value)).quantize(ONE, rounding=ROUND_HALF_UP))


class Numbers:
    """Formats numbers in the language active when it is made."""

    __slots__ = ("decimal_separator", "grouping", "thousand_separator", "plain_integers")

    def __init__(self):
        language = get_language()
        self.decimal_separator = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        self.grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
        self.thousand_separator = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)
        # Whole numbers without grouping read as Python writes them (numberformat's own
        # shortcut, taken here without the call).
        self.plain_integers = not settings.USE_THOUSAND_SEPARATOR or not self.grouping

    def number(self, value, decimal_pos: int | None = None, *, grouped: bool = False) -> str:
        """``django.utils.formats.number_format(value, decimal_pos, force_grouping=grouped)``;
        also what a template shows for ``{{ value }}`` when ``value`` is a number."""
        if type(value) is int and not decimal_pos and not grouped and self.plain_integers:
            return str(value)
        return str(
            numberformat.format(
                value,
                self.decimal_separator,
                decimal_pos,
                self.grouping,
                self.thousand_separator,
                force_grouping=grouped,
                use_l10n=True,
            )
        )

    def money(self, value) -> str:
        """An amount in the base currency, with its code: "10,000.00 EUR" (none reads as 0)."""
        if value is None or value == "":
            value = 0
        return (
            f"{self._cents(value) or self.number(value, 2, grouped=True)} {settings.BASE_CURRENCY}"
        )

    def _cents(self, value) -> str | None:
        """``number(value, 2, grouped=True)`` for the usual amounts (a Decimal or an integer,
        grouped by thousands), the way ``numberformat`` writes them: digits past the second
        decimal are cut, not rounded. None for anything else."""
        if self.grouping != 3 or type(value) not in (Decimal, int):
            return None
        if type(value) is Decimal:
            if not value.is_finite():
                return None
            if abs(value) < CENT:
                value = 0
            else:
                _sign, digits, exponent = value.as_tuple()
                if len(digits) + abs(exponent) > 200:
                    return None
        text = f"{value:f}" if type(value) is Decimal else str(value)
        sign = ""
        if text[0] == "-":
            sign, text = "-", text[1:]
        whole, _point, decimals = text.partition(".")
        grouped = f"{int(whole):,}".replace(",", self.thousand_separator)
        return f"{sign}{grouped}{self.decimal_separator}{(decimals + '00')[:2]}"

    def percent(self, value) -> str:
        """0.675 → "68 %"; a dash when there was nothing to divide."""
        if value is None or value == "":
            return "–"
        return f"{self.number(round(float(value) * 100))} %"

    def days(self, value) -> str:
        """A number of days, to one decimal; a dash when unknown."""
        if value is None or value == "":
            return "–"
        return self.number(round(float(value), 1), 1)

    def whole(self, value: float, *, grouped: bool = False) -> str:
        """A finite number rounded half up to a whole one: ``floatformat:"0"`` (``"0g"`` when
        ``grouped``)."""
        return self.number(str(half_up(value)), 0, grouped=grouped)
