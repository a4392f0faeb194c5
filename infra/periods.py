"""Months and quarters: the calendar periods that reports and quotas are counted over."""

import datetime


def month_start(day: datetime.date, shift: int = 0) -> datetime.date:
    """The first day of the month ``shift`` months after the one holding ``day``."""
    index = day.year * 12 + day.month - 1 + shift
    return datetime.date(index // 12, index % 12 + 1, 1)


def quarter_start(day: datetime.date, shift: int = 0) -> datetime.date:
    """The first day of the quarter ``shift`` quarters after the one holding ``day``."""
    first = month_start(day).replace(month=(day.month - 1) // 3 * 3 + 1)
    return month_start(first, 3 * shift)
