"""The admin's lists of the tables that grow to a million rows: each counts its rows once, and
costs the same number of queries however many rows it shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leads import services as lead_services
from opportunities import services as deal_services
from tests.factories import make_activity, make_pipeline


def add_rows(rep, count: int) -> None:
    stage = make_pipeline().stages.order_by("order").first()
    for number in range(count):
        lead_services.create_lead(by=rep, first_name="Ana", last_name=f"Lead {number}", owner=rep)
        deal = deal_services.create_opportunity(
            by=rep,
            stage=stage,
            name=f"Deal {number}",
            amount=1000,
            expected_close_date=datetime.date(2027, 1, 31),
            owner=rep,
        )
        make_activity(owner=rep, opportunity=deal)


LISTS = [
    "admin:leads_lead_changelist",
    "admin:leads_leadstatuschange_changelist",
    "admin:opportunities_opportunitychange_changelist",
    "admin:activities_activity_changelist",
]


def queries_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


@pytest.mark.parametrize("name", LISTS)
def test_a_long_admin_list_counts_its_rows_once_whatever_their_number(admin_client, rep, name):
    url = reverse(name)
    add_rows(rep, 1)
    few = queries_of(admin_client, url)
    add_rows(rep, 4)
    more = queries_of(admin_client, url)

    assert len(more) == len(few)
    # The page's own count; not a second one of the whole table, nor a list of years.
    assert sum("COUNT(" in sql for sql in more) == 1
    assert not any("DISTINCT" in sql and "TRUNC" in sql.upper() for sql in more)
