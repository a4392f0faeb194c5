"""Report cells: in a CSV, what a spreadsheet would run as a formula is written as text."""

from decimal import Decimal

import pytest

from infra.spreadsheets import csv_cell
from reports.exports import figure


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
def test_csv_cell_of_a_figure(value, written):
    assert csv_cell(figure(value)) == written
