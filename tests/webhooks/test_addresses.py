"""Webhooks reach the public internet only: not this site, not loopback, private, link-local
or reserved networks, unless WEBHOOKS_ALLOW_PRIVATE says so; checked when an endpoint is saved
and again at each delivery."""

import pytest

from webhooks.addresses import RefusedAddress, check_url
from webhooks.delivery import send_due
from webhooks.models import Delivery, Endpoint, Event
from webhooks.sending import _guarded_connect

PRIVATE = "This address is on a private or reserved network, which webhooks may not reach."


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8000/hook", PRIVATE),
        ("http://10.1.2.3/hook", PRIVATE),
        ("http://192.168.0.10/hook", PRIVATE),
        ("http://172.16.5.4/hook", PRIVATE),
        ("http://169.254.169.254/latest/meta-data", PRIVATE),
        ("http://[::1]/hook", PRIVATE),
        ("http://[::ffff:127.0.0.1]/hook", PRIVATE),
        ("http://[fd00::1]/hook", PRIVATE),
        ("http://0.0.0.0/hook", PRIVATE),
        ("http://100.64.0.1/hook", PRIVATE),
        ("http://224.0.0.1/hook", PRIVATE),
        # IPv4 inside IPv6: NAT64 (the metadata service), the old compatible form, SIIT.
        ("http://[64:ff9b::a9fe:a9fe]/hook", PRIVATE),
        ("http://[64:ff9b:1::a00:5]/hook", PRIVATE),
        ("http://[::a00:5]/hook", PRIVATE),
        ("http://[::ffff:0:7f00:1]/hook", PRIVATE),
        ("http://testserver./hook", "A webhook cannot be sent to this site itself."),
        (
            "https://user:secret@93.184.216.34/hook",
            "Leave the user name and password out of the address.",
        ),
        ("http://localhost/hook", "A webhook cannot be sent to this site itself."),
        ("https://testserver/hook", "A webhook cannot be sent to this site itself."),
        ("ftp://93.184.216.34/hook", "Enter an http:// or https:// address."),
        ("file:///etc/passwd", "Enter an http:// or https:// address."),
        ("http://93.184.216.34:99999/hook", "Enter an http:// or https:// address."),
        ("http://93.184.216.34:port/hook", "Enter an http:// or https:// address."),
    ],
)
def test_an_address_off_the_public_internet_is_refused(url, message):
    with pytest.raises(RefusedAddress) as refusal:
        check_url(url)

    assert str(refusal.value) == message


def test_a_public_address_is_taken():
    check_url("https://93.184.216.34/hooks/crm")
    check_url("http://[2606:2800:220:1:248:1893:25c8:1946]:8443/hooks")
    check_url("http://[64:ff9b::5db8:d822]/hooks")  # NAT64 of a public address


def test_private_addresses_are_taken_when_the_setting_allows_them(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True

    check_url("http://127.0.0.1:8000/hook")
    check_url("http://10.1.2.3/hook")
    with pytest.raises(RefusedAddress):
        check_url("ftp://10.1.2.3/hook")


def test_an_address_refused_since_the_endpoint_was_saved_is_not_sent_to(
    endpoint, receiver, rep, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE = False  # the endpoint was saved while it was allowed
    from leads.services import create_lead

    with django_capture_on_commit_callbacks(execute=True):
        create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)

    delivery = Delivery.objects.get()
    assert receiver.requests == []
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error == f"RefusedAddress: {PRIVATE}"


def test_the_connection_is_dropped_when_its_peer_is_private(receiver, settings):
    """A name that resolved to a public address when checked may point elsewhere when the
    worker connects: the address actually connected to is checked before anything is sent."""
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    port = int(receiver.url.split(":")[2].split("/")[0])

    with pytest.raises(RefusedAddress):
        _guarded_connect(("127.0.0.1", port), 5)

    assert receiver.requests == []


@pytest.mark.parametrize("endpoints", [1, 3])
def test_the_emit_path_reads_and_writes_the_same_whatever_the_endpoints(
    endpoints, receiver, allow_private, rep, django_assert_num_queries
):
    from infra.events import emit
    from tests.factories import make_lead

    lead = make_lead(owner=rep)
    for _ in range(endpoints):
        Endpoint.objects.create(url=receiver.url, events=["lead.qualified"])
    Endpoint.objects.create(url=receiver.url, events=["lead.created"])

    # The active endpoints; the event; its deliveries, in one INSERT.
    with django_assert_num_queries(3):
        emit("lead.qualified", lead)

    assert Delivery.objects.filter(event__name="lead.qualified").count() == endpoints
    # No endpoint wants it: one query, nothing written.
    with django_assert_num_queries(1):
        emit("lead.converted", lead)
    assert Event.objects.count() == 1
    assert send_due() == endpoints
    assert len(receiver.requests) == endpoints
