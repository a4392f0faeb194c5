"""Admins keep the dated exchange rates the reports convert with."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.models import ExchangeRate


def test_admin_adds_a_dated_rate(admin_client):
    response = admin_client.post(
        reverse("admin:crm_exchangerate_add"),
        {"currency": "usd", "rate": "0.9125", "valid_from": "2026-05-01"},
    )

    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.rate, rate.valid_from) == (
        "USD",
        Decimal("0.9125"),
        datetime.date(2026, 5, 1),
    )


@pytest.mark.parametrize(
    ("currency", "message"),
    [("EUR", "EUR is the base currency"), ("XYZ", "Unknown currency")],
)
def test_admin_cannot_add_a_rate_for_the_base_or_an_unknown_currency(
    admin_client, currency, message
):
    response = admin_client.post(
        reverse("admin:crm_exchangerate_add"),
        {"currency": currency, "rate": "1.5", "valid_from": "2026-05-01"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExchangeRate.objects.exists()


def test_rates_are_listed_by_currency(admin_client):
    ExchangeRate.objects.create(currency="GBP", rate=Decimal("1.17"), valid_from="2026-01-01")

    response = admin_client.get(reverse("admin:crm_exchangerate_changelist"))

    assert "1.17" in response.content.decode()
