"""Every figure of a report leads to the list of the deals or leads it counts: following the
link, the list shows as many rows as the figure says (the story of conftest.py, in May)."""

import datetime
import html as html_escapes
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.reports.conftest import _deal, at
from tests.reports.test_views import MAY, make_deals, url


def _table(page: str, name: str) -> str:
    return page.split(f'data-table="{name}"', 1)[1].split("</table>", 1)[0]


def figure_link(page: str, table: str, row: str, figure: str) -> tuple[int, str]:
    """The number shown for ``figure`` in the row of ``table`` that names ``row`` (or the
    totals row, ``row="Total"``), and the address it links to."""
    rows = re.findall(r"<tr\b.*?</tr>", _table(page, table), re.S)
    [found] = [r for r in rows if re.search(rf">{re.escape(row)}[<\s]", r)]
    match = re.search(rf'data-(?:figure|total)="{figure}"><a href="([^"]+)">([\d,]+)', found)
    assert match, f"{figure} of {row} is a link"
    return int(match[2].replace(",", "")), html_escapes.unescape(match[1])


def rows_listed(client, address: str) -> int:
    page = client.get(address).content.decode()
    if address.startswith("/leads/"):
        return page.count('<tr id="lead-row-')
    return page.count("<tr data-opportunity")


@pytest.mark.parametrize(
    ("report", "table", "row", "figure", "expected"),
    [
        # Globex and Wayne; every open deal of North.
        ("pipeline", "stages", "Proposal", "count", 2),
        ("pipeline", "stages", "Total", "count", 4),
        # Alice's leads of May (L1, L2, L3), those qualified (L1, L3), and her wins (Stark,
        # Lead deal) and her loss (Umbrella).
        ("team_performance", "reps", "Alice Rep", "leads", 3),
        ("team_performance", "reps", "Alice Rep", "qualified", 2),
        ("team_performance", "reps", "Alice Rep", "converted", 1),
        ("team_performance", "reps", "Alice Rep", "created", 2),
        ("team_performance", "reps", "Alice Rep", "won", 2),
        ("team_performance", "reps", "Alice Rep", "lost", 1),
        ("team_performance", "teams", "North", "won", 3),
        ("team_performance", "teams", "North", "leads", 4),
        # The web's leads (L1, L2, L5), qualified (L1), and the deal won from L1.
        ("lead_funnel", "sources", "Web", "leads", 3),
        ("lead_funnel", "sources", "Web", "qualified", 1),
        ("lead_funnel", "sources", "Web", "won", 1),
        ("lead_funnel", "sources", "Total", "qualified", 2),
        ("lead_funnel", "sources", "Total", "won", 1),
        # Umbrella, lost for its price, to Rival Co, in Proposal; Wonka, won against them.
        ("win_loss", "reasons", "Price", "count", 1),
        ("win_loss", "competitors", "Rival Co", "lost", 1),
        ("win_loss", "competitors", "Rival Co", "won", 1),
        ("win_loss", "stages", "Proposal", "count", 1),
        ("dashboard", "reps", "Bob Rep", "won", 1),
    ],
)
def test_a_figure_leads_to_as_many_rows_as_it_counts(
    sales, manager_client, report, table, row, figure, expected
):
    page = manager_client.get(url(report, **MAY)).content.decode()

    shown, address = figure_link(page, table, row, figure)

    assert shown == expected
    assert rows_listed(manager_client, address) == expected


def test_the_unassigned_row_leads_to_the_deals_of_nobody(sales, manager_client, north):
    _deal(
        None, sales.stage.c, at(5, 1), name="Nobody's", amount=Decimal("500"), team=north,
        status="won", closed_date=datetime.date(2026, 5, 13),
    )  # fmt: skip
    page = manager_client.get(url("team_performance", **MAY)).content.decode()

    shown, address = figure_link(page, "reps", "Unassigned", "won")

    assert (shown, rows_listed(manager_client, address)) == (1, 1)
    assert parse_qs(urlsplit(address).query)["owner"] == ["null"]


def test_a_rep_filter_carries_into_the_list(sales, manager_client, rep):
    page = manager_client.get(url("pipeline", rep=rep.pk)).content.decode()

    shown, address = figure_link(page, "stages", "Total", "count")

    assert parse_qs(urlsplit(address).query)["owner"] == [str(rep.pk)]
    assert (shown, rows_listed(manager_client, address)) == (4, 4)


def test_the_slipped_deals_lead_to_the_deals_pushed_out_in_the_period(sales, manager_client):
    page = manager_client.get(url("slipped", **MAY)).content.decode()

    [address] = re.findall(r'<a href="([^"]+)" data-list="slipped">', page)

    # Globex and Acme.
    assert rows_listed(manager_client, html_escapes.unescape(address)) == 2


def test_the_forecast_of_this_month_leads_to_its_deals(manager_client, rep):
    # Open EUR 1,000 in the pipeline category, won USD 1,000: all this month.
    make_deals(rep, 3)
    page = manager_client.get(url("forecast")).content.decode()

    this_month = next(
        r for r in re.findall(r"<tr\b.*?</tr>", _table(page, "periods"), re.S) if "this_month" in r
    )
    open_deals = re.search(r'data-figure="open_deals"><a href="([^"]+)">(\d+)', this_month)
    won = re.search(r'data-figure="won"><a href="([^"]+)">', this_month)

    assert int(open_deals[2]) == rows_listed(manager_client, html_escapes.unescape(open_deals[1]))
    assert rows_listed(manager_client, html_escapes.unescape(won[1])) == 1


def test_chart_bars_lead_to_their_lists(sales, manager_client):
    page = manager_client.get(url("pipeline")).content.decode()

    chart = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    addresses = [html_escapes.unescape(a) for a in re.findall(r'<a href="([^"]+)">', chart)]

    # Proposal, Negotiation: Qualification's deal has no rate, so no bar to click.
    assert [rows_listed(manager_client, address) for address in addresses] == [2, 1]
