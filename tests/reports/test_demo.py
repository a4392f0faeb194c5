from crm.models import ExchangeRate
from reports import demo


def test_demo_rates_are_seeded_once(db):
    demo.seed()
    demo.seed()

    assert ExchangeRate.objects.count() == 16
    assert set(ExchangeRate.objects.values_list("currency", flat=True)) == {
        "USD",
        "GBP",
        "CHF",
        "JPY",
    }
