"""Report figures read exactly as Django's own formatting would write them, in every language,
and the filters' selects are the markup Django's select template writes."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import localize, number_format

from infra.numbers import Numbers
from reports.filters import ReportFilterForm

AMOUNTS = [
    0,
    7,
    -1234,
    10**12,
    Decimal("0"),
    Decimal("0.004"),
    Decimal("-0.009"),
    Decimal("0.01"),
    Decimal("999.999"),
    Decimal("1000"),
    Decimal("-1234567.891"),
    Decimal("12345678901234.5"),
    Decimal("3E+5"),
    Decimal("1.5E-7"),
    Decimal("2500.125000000000000000"),
    1234.5,
    None,
]
NUMBERS = [0, 5, 1234567, -42, 3.25, 1e21, Decimal("10.50"), True]
WHOLE = [0.0, 0.5, 1.5, 2.5, -0.4, -2.5, 999.49, 1234.5, 1234567.5, 12.0, 1e15]


@pytest.fixture(params=["en", "es"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.mark.parametrize("value", AMOUNTS)
def test_money_reads_as_number_format(language, value):
    expected = number_format(0 if value is None else value, 2, force_grouping=True)

    assert Numbers().money(value) == f"{expected} EUR"


@pytest.mark.parametrize("value", NUMBERS)
def test_number_reads_as_a_template_shows_it(language, value):
    assert Numbers().number(value) == str(localize(value))


@pytest.mark.parametrize("value", WHOLE)
def test_whole_rounds_as_floatformat(language, value):
    numbers = Numbers()

    assert numbers.whole(value) == floatformat(value, "0")
    assert numbers.whole(value, grouped=True) == floatformat(value, "0g")


def test_spanish_amounts_use_spanish_separators():
    with translation.override("es"):
        assert Numbers().money(Decimal("1234567.8")) == "1\xa0234\xa0567,80 EUR"


def tags(html: str) -> str:
    """The markup without the whitespace between tags (a browser ignores it in a select)."""
    return re.sub(r">\s+<", "><", html.strip())


def test_filter_form_selects_read_as_before(db, manager, language):
    form = ReportFilterForm({"period": "last_month"}, user=manager)

    for name in ["period", "team", "rep", "pipeline"]:
        field = form[name]
        quick = str(field.as_widget())
        plain = str(field.as_widget(widget=forms.Select(choices=field.field.choices)))
        assert tags(quick) == tags(plain)
