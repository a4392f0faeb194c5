"""Alice (a rep of North) and Charlie (a rep of South), seen by the security log; every
request comes from an address of its own, so that each row says where it came from."""

import pytest
from django.test import Client

from crm.models import SecurityEvent
from tests.factories import make_opportunity

ALICE_ADDRESS = "203.0.113.7"
CHARLIE_ADDRESS = "198.51.100.23"
PASSWORD = "secret-pass-123"


def events(kind=None) -> list[SecurityEvent]:
    """The security log, oldest first; only the events of ``kind`` when given."""
    rows = SecurityEvent.objects.select_related("actor", "target_type").order_by("pk")
    return list(rows.filter(kind=kind) if kind else rows)


@pytest.fixture
def alice_browser(rep):
    """Alice's browser, logged in, from her address."""
    client = Client(REMOTE_ADDR=ALICE_ADDRESS)
    client.force_login(rep)
    return client


@pytest.fixture
def charlie_browser(other_rep):
    client = Client(REMOTE_ADDR=CHARLIE_ADDRESS)
    client.force_login(other_rep)
    return client


@pytest.fixture
def alices_deal(rep, stages):
    return make_opportunity(name="Acme renewal", owner=rep, stage=stages[0])


@pytest.fixture
def fresh_log(db):
    """Forget the logins the fixtures made: the story starts with an empty log."""

    def clear():
        SecurityEvent.objects.all().delete()

    return clear
