"""A burst of refused accesses spread over both servers mails the admins once, not once per
server: the count and the "sent" mark live in the shared Redis."""

import pytest

from crm.models import SecurityEvent, User
from tests.factories import make_opportunity, make_pipeline, make_team, make_user
from tests.integration.conftest import SECURITY_BURST_EVENTS, Visitor

PASSWORD = "a-long-test-pass-2026"
SUBJECT = "Subject: Security alert: many lockouts or denied accesses"


@pytest.fixture
def people(transactional_db, production_hashing):
    north, south = make_team(name="North"), make_team(name="South")
    alice = make_user(username="alice", team=north, password=PASSWORD)
    charlie = make_user(username="charlie", team=south, password=PASSWORD)
    make_user(username="ada", role=User.Role.ADMIN, email="ada@example.com", password=PASSWORD)
    return alice, charlie


def test_a_burst_over_both_servers_sends_one_mail(app_servers, people):
    alice, _charlie = people
    stage = make_pipeline().stages.order_by("order").first()
    deals = [make_opportunity(owner=alice, stage=stage) for _n in range(SECURITY_BURST_EVENTS * 2)]
    charlie = Visitor(address="198.51.100.23")
    charlie.log_in(app_servers.a, "charlie", PASSWORD)

    answers = [
        charlie.get(server, f"/opportunities/{deal.pk}/").status
        for deal, server in zip(deals, [app_servers.a, app_servers.b] * len(deals), strict=False)
    ]

    assert answers == [404] * len(deals)
    denied = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED)
    assert sorted(denied.values_list("target_id", flat=True)) == sorted(str(d.pk) for d in deals)
    assert set(denied.values_list("ip_address", flat=True)) == {"198.51.100.23"}
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.BURST_ALERT).count() == 1
    output = "".join(
        (app_servers.logs / f"{name}.log").read_text(errors="replace") for name in ("a", "b")
    )
    assert output.count(SUBJECT) == 1
    assert "To: ada@example.com" in output
