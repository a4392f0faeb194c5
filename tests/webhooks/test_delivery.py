"""Every change arrives at the receiver as a signed event, once, with the record as the API
renders it; a receiver that fails is tried again later, then given up, and an endpoint that
keeps failing is disabled and the admins told."""

import socket
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activities import services as activities
from crm.models import Company
from leads import services as leads
from opportunities import services as opportunities
from tests.factories import make_disqualify_reason, make_lead, make_lost_reason
from webhooks.delivery import send_due
from webhooks.models import Delivery, Endpoint, Event
from webhooks.sending import post


def test_each_kind_of_change_arrives_signed(
    endpoint, receiver, rep, stages, django_capture_on_commit_callbacks
):
    def change(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    lead = change(leads.create_lead, by=rep, first_name="Lia", last_name="Lead", owner=rep)
    change(leads.update_lead, lead, by=rep, job_title="Buyer")
    change(leads.qualify, lead, by=rep)
    conversion = change(
        leads.convert_lead, lead, by=rep, create_opportunity=True, stage=stages[0], amount=500
    )
    deal = conversion.opportunity
    change(opportunities.move_opportunity, deal, stage=stages[1], by=rep)
    change(opportunities.mark_won, deal, by=rep)
    change(opportunities.reopen, deal, by=rep)
    change(opportunities.mark_lost, deal, reason=make_lost_reason(), by=rep)
    other = change(leads.create_lead, by=rep, first_name="Otto", last_name="Other", owner=rep)
    change(leads.disqualify, other, reason=make_disqualify_reason(), by=rep)
    call = change(
        activities.schedule_activity,
        record=other,
        by=rep,
        kind="call",
        subject="Call back",
        due_date=timezone.localdate(),
    )
    change(activities.complete_activity, call, outcome="Spoke", by=rep, without_next_step=True)

    assert receiver.events == [
        ("lead.created", lead.pk),
        ("lead.updated", lead.pk),
        ("lead.qualified", lead.pk),
        ("opportunity.created", deal.pk),
        ("lead.converted", lead.pk),
        ("opportunity.stage_changed", deal.pk),
        ("opportunity.won", deal.pk),
        ("opportunity.reopened", deal.pk),
        ("opportunity.lost", deal.pk),
        ("lead.created", other.pk),
        ("lead.disqualified", other.pk),
        ("activity.completed", call.pk),
    ]
    assert all(request.signed_with(endpoint.secret) for request in receiver.requests)
    assert [r.headers["X-CRM-Event"] for r in receiver.requests] == [e for e, _ in receiver.events]
    ids = [uuid.UUID(request.json["id"]) for request in receiver.requests]
    assert len(set(ids)) == 12
    assert set(Event.objects.values_list("uuid", flat=True)) == set(ids)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_the_event_carries_the_record_as_the_api_renders_it(
    endpoint, receiver, rep, stages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deal = opportunities.create_opportunity(
            by=rep,
            stage=stages[0],
            name="Big deal",
            amount=900,
            expected_close_date=timezone.localdate(),
        )
    with django_capture_on_commit_callbacks(execute=True):
        opportunities.mark_won(deal, by=rep)

    created, request = receiver.requests
    body = request.json
    assert body["event"] == "opportunity.won"
    assert body["record"] == {"type": "opportunity", "id": deal.pk}
    data = body["data"]
    assert (data["id"], data["name"], data["status"], data["amount"]) == (
        deal.pk,
        "Big deal",
        "won",
        "900.00",
    )
    assert (data["probability"], data["owner"], data["version"]) == (100, rep.pk, 2)
    assert request.headers["Content-Type"] == "application/json"
    delivery = Delivery.objects.get(event__name="opportunity.won")
    assert request.headers["X-CRM-Delivery"] == str(delivery.pk)
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)
    assert delivery.response_ms is not None and delivery.delivered_at is not None


def test_an_endpoint_gets_only_the_events_it_asked_for(
    endpoint, receiver, rep, django_capture_on_commit_callbacks
):
    endpoint.events = ["lead.qualified"]
    endpoint.save()
    with django_capture_on_commit_callbacks(execute=True):
        lead = leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
    with django_capture_on_commit_callbacks(execute=True):
        leads.qualify(lead, by=rep)

    assert receiver.events == [("lead.qualified", lead.pk)]
    assert list(Event.objects.values_list("name", flat=True)) == ["lead.qualified"]


def test_a_rolled_back_change_emits_nothing(
    endpoint, receiver, rep, django_capture_on_commit_callbacks
):
    lead = make_lead(owner=rep)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        leads.qualify(lead, by=rep)
        assert Event.objects.count() == 1  # written with the change...
        raise RuntimeError("the rest of the request failed")

    assert Event.objects.count() == 0  # ...and rolled back with it
    assert Delivery.objects.count() == 0
    assert receiver.requests == []


def test_a_failing_receiver_is_tried_again_with_a_growing_delay(
    endpoint, receiver, rep, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_RETRY_BACKOFF = 30
    receiver.answers = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        lead = leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
    delivery = Delivery.objects.get()
    first_wait = delivery.next_attempt_at - timezone.now()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.last_error == "HTTP 500"
    assert timedelta(seconds=25) < first_wait <= timedelta(seconds=30)

    assert send_due() == 0  # not yet due

    # Time passes: the retry is due.
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert send_due() == 1
    delivery.refresh_from_db()
    second_wait = delivery.next_attempt_at - timezone.now()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 2, 503)
    assert timedelta(seconds=55) < second_wait <= timedelta(seconds=60)

    Delivery.objects.update(next_attempt_at=timezone.now())
    send_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert len(receiver.requests) == 3
    assert {r.json["id"] for r in receiver.requests} == {str(delivery.event.uuid)}
    assert receiver.events == [("lead.created", lead.pk)] * 3
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_receiver_too_slow_to_answer_gets_the_event_again(
    endpoint, receiver, rep, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_TIMEOUT = 1
    receiver.delays = [1.5]
    with django_capture_on_commit_callbacks(execute=True):
        leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", None)
    assert delivery.last_error == "No answer within 1 s"
    assert 1000 <= delivery.response_ms < 1500

    Delivery.objects.update(next_attempt_at=timezone.now())
    send_due()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    # At least once: it had the first one too, and dedupes by the event id.
    assert [r.json["id"] for r in receiver.requests] == [str(delivery.event.uuid)] * 2


def test_a_delivery_is_given_up_a_day_after_its_event(
    endpoint, receiver, rep, django_capture_on_commit_callbacks
):
    receiver.answers = [500] * 3
    with django_capture_on_commit_callbacks(execute=True):
        leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
    # A day goes by (the event was made a day ago, its retry is due).
    Event.objects.update(created_at=timezone.now() - timedelta(hours=24))
    Delivery.objects.update(next_attempt_at=timezone.now())

    send_due()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert send_due() == 0


def test_an_endpoint_that_keeps_failing_is_disabled_and_the_admins_told(
    endpoint, receiver, rep, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_DISABLE_AFTER = 3
    receiver.answers = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        first = leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
    with django_capture_on_commit_callbacks(execute=True):
        leads.create_lead(by=rep, first_name="Otto", last_name="Other", owner=rep)
    Delivery.objects.update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        send_due()  # the third and fourth failures in a row, minutes after the first

    # A short outage: still active, however many attempts failed.
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures) == (True, 4)
    assert mail.outbox == []

    # Still failing twelve hours after its first failure: disabled.
    Endpoint.objects.update(failing_since=timezone.now() - timedelta(hours=12))
    Delivery.objects.update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        send_due()

    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures) == (False, 5)
    assert endpoint.disabled_at is not None
    assert [message.to for message in mail.outbox] == [[admin_user.email]]
    assert mail.outbox[0].subject == f"Webhook endpoint disabled: {endpoint.url}"
    assert "failed 3 times in a row, for more than 12 hours" in mail.outbox[0].body

    # Disabled: its deliveries wait, a change made meanwhile waits with them.
    Delivery.objects.update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        leads.qualify(first, by=rep)
    assert send_due() == 0
    assert len(receiver.requests) == 5
    assert list(Delivery.objects.values_list("status", flat=True)) == ["pending"] * 3


def test_companies_and_contacts_saved_on_their_pages_arrive_too(
    endpoint, receiver, rep, rep_client, django_capture_on_commit_callbacks
):
    company_data = {"name": "Verde Energia", "website": "https://verde.example", "owner": rep.pk}
    with django_capture_on_commit_callbacks(execute=True):
        rep_client.post(reverse("crm:company_create"), company_data)
    company = Company.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        rep_client.post(
            reverse("crm:company_edit", args=[company.pk]),
            {**company_data, "name": "Verde Energia SpA", "version": company.version},
        )
    with django_capture_on_commit_callbacks(execute=True):
        rep_client.post(
            reverse("crm:company_edit", args=[company.pk]),
            {**company_data, "name": "Verde Energia SpA", "version": company.version + 1},
        )  # nothing changed: nothing sent

    assert receiver.events == [("company.created", company.pk), ("company.updated", company.pk)]
    assert receiver.requests[1].json["data"]["name"] == "Verde Energia SpA"


def test_an_endpoint_an_admin_switched_off_gets_nothing_written_for_it(
    endpoint, receiver, rep, django_capture_on_commit_callbacks
):
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False)

    with django_capture_on_commit_callbacks(execute=True):
        leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)

    assert Delivery.objects.count() == 0
    assert receiver.requests == []


def test_a_receiver_answering_a_byte_at_a_time_is_cut_off_at_the_timeout(settings):
    """The socket's timeout is per read: a receiver that keeps sending a byte now and then
    must still not hold the worker past WEBHOOKS_TIMEOUT."""
    settings.WEBHOOKS_TIMEOUT = 1
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    server = socket.create_server(("127.0.0.1", 0))
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    def dribble():
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            for byte in answer:
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.3)

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    started = time.monotonic()

    outcome = post(
        url=f"http://127.0.0.1:{server.getsockname()[1]}/hook", secret="s", body=b"{}", headers={}
    )

    took = time.monotonic() - started
    server.close()
    assert not outcome.delivered
    assert outcome.error == "No answer within 1 s"
    assert 1 <= took < 3
