"""CSV cells: what a spreadsheet would run as a formula is written as text."""

from decimal import Decimal

import pytest

from reports.exports import safe_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+33 1 23 45", "'+33 1 23 45"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Acme", "Acme"),
        (Decimal("1234.5"), Decimal("1234.50")),
        (7, 7),
        (0.666666, 0.6667),
        (None, ""),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written
