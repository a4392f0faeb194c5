"""Demo exchange rates, so that deals in other currencies add up in the reports.

Idempotent: running it again changes nothing. Rates are rough, dated on 1 January and 1 July of
last year and this year.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.demo import DemoPeople
from crm.models import ExchangeRate

# Units of the base currency (EUR) per unit of each currency, by half-year.
RATES = {
    "USD": ["0.92", "0.93", "0.91", "0.86"],
    "GBP": ["1.16", "1.17", "1.19", "1.16"],
    "CHF": ["1.03", "1.05", "1.06", "1.07"],
    "JPY": ["0.0062", "0.0061", "0.0059", "0.0060"],
}


def seed(people: DemoPeople | None = None) -> None:
    year = timezone.localdate().year
    dates = [
        datetime.date(year - 1, 1, 1),
        datetime.date(year - 1, 7, 1),
        datetime.date(year, 1, 1),
        datetime.date(year, 7, 1),
    ]
    for currency, rates in RATES.items():
        for valid_from, rate in zip(dates, rates, strict=True):
            ExchangeRate.objects.get_or_create(
                currency=currency, valid_from=valid_from, defaults={"rate": Decimal(rate)}
            )
