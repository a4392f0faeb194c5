"""Amounts in the base currency, converted in SQL at the rate in force on each deal's date.

A deal's *relevant date* is its closed date once it is won or lost, and its expected close date
while it is open. The rate is the latest ``ExchangeRate`` of the deal's currency whose
``valid_from`` is on or before that date; the base currency's rate is 1. A deal whose currency
has no rate on that date gets no rate at all (NULL): it is left out of every total and counted
as *unconverted* instead, never silently taken as base currency.
"""

from django.conf import settings
from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round

from crm.models import ExchangeRate

BASE_AMOUNT = DecimalField(max_digits=20, decimal_places=2)
RATE = DecimalField(max_digits=18, decimal_places=8)


def relevant_date(prefix: str = ""):
    """Closed date for a closed deal (its expected close date if none was recorded), else the
    expected close date."""
    return Case(
        When(**{f"{prefix}status": "open"}, then=F(f"{prefix}expected_close_date")),
        default=Coalesce(F(f"{prefix}closed_date"), F(f"{prefix}expected_close_date")),
    )


def rate_on_relevant_date():
    """The deal's rate to the base currency, or NULL when no rate is known for that date."""
    latest_rate = (
        ExchangeRate.objects.filter(
            currency=OuterRef("currency"), valid_from__lte=OuterRef("rate_date")
        )
        .order_by("-valid_from")
        .values("rate")[:1]
    )
    return Case(
        When(currency=settings.BASE_CURRENCY, then=Value(1, output_field=RATE)),
        default=Subquery(latest_rate, output_field=RATE),
        output_field=RATE,
    )


def with_base_amounts(queryset):
    """Annotate ``rate_date``, ``rate``, ``base_amount`` (amount × rate) and ``base_weighted``
    (base amount × probability ÷ 100), each rounded to cents; NULL when the rate is unknown."""
    return (
        queryset.annotate(rate_date=relevant_date())
        .annotate(rate=rate_on_relevant_date())
        .annotate(
            base_amount=Round(F("amount") * F("rate"), 2, output_field=BASE_AMOUNT),
            base_weighted=Round(
                F("amount") * F("rate") * F("probability") / Value(100),
                2,
                output_field=BASE_AMOUNT,
            ),
        )
    )


UNCONVERTED = Q(rate__isnull=True)
