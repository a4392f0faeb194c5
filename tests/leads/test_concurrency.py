"""Two users convert the same lead at the same moment, on PostgreSQL, with the interleaving
forced: both start together, and whoever gets the lead first pauses between reading "not
converted yet" and writing the conversion, long enough for the other to try its own read.
"""

import threading
import time
from unittest import mock

import pytest
from django.db import connection

from crm.models import Contact
from leads import services
from leads.models import Lead, LeadConversion
from opportunities.models import Opportunity

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite has none"
    ),
]

PAUSE = 0.5


def test_two_simultaneous_conversions_make_exactly_one(
    transactional_db, rep, teammate, first_stage, lead
):
    start = threading.Barrier(2, timeout=10)
    reads = []  # (thread name, what the read saw, when)
    real_read = services._existing_conversion

    def slow_read(locked):
        seen = real_read(locked)
        reads.append((threading.current_thread().name, seen, time.monotonic()))
        if seen is None:
            time.sleep(PAUSE)  # between the read and the write
        return seen

    results, errors = {}, []

    def convert(user):
        try:
            start.wait()
            lead_copy = Lead.objects.get(pk=lead.pk)
            results[threading.current_thread().name] = services.convert_lead(
                lead_copy, by=user, create_opportunity=True, stage=first_stage
            )
        except Exception as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    with mock.patch("leads.services._existing_conversion", side_effect=slow_read):
        threads = [
            threading.Thread(target=convert, args=(user,), name=user.username)
            for user in (rep, teammate)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    # The second reader waited on the row lock and saw the first one's conversion.
    assert [seen is None for _name, seen, _at in reads] == [True, False]
    assert reads[1][2] - reads[0][2] >= PAUSE
    assert len({conversion.pk for conversion in results.values()}) == 1
    assert LeadConversion.objects.count() == 1
    assert Contact.objects.count() == 1
    assert Opportunity.objects.count() == 1
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.CONVERTED
