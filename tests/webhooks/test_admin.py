"""Administrators register endpoints in the admin, copy their secret, read each endpoint's
delivery log and resend a delivery; nobody else sees any of it."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leads import services as leads
from tests.asserts import assert_shows
from webhooks.models import Delivery, Endpoint

ADD = reverse("admin:webhooks_endpoint_add")
LOG = reverse("admin:webhooks_delivery_changelist")


def test_an_admin_registers_an_endpoint_and_is_shown_its_secret(
    admin_client, admin_user, receiver, allow_private
):
    response = admin_client.post(
        ADD,
        {
            "url": receiver.url,
            "description": "Billing",
            "events": ["lead.converted", "opportunity.won"],
            "active": "on",
        },
        follow=True,
    )

    endpoint = Endpoint.objects.get()
    assert (endpoint.url, endpoint.events, endpoint.active) == (
        receiver.url,
        ["lead.converted", "opportunity.won"],
        True,
    )
    assert endpoint.created_by == admin_user
    assert len(endpoint.secret) >= 40
    assert response.redirect_chain[-1][0] == reverse(
        "admin:webhooks_endpoint_change", args=[endpoint.pk]
    )
    assert_shows(
        response.content.decode(),
        "Copy the signing secret below",
        endpoint.secret,
        f"{LOG}?endpoint__id__exact={endpoint.pk}",
    )


def test_an_admin_gives_an_endpoint_a_new_secret(admin_client, endpoint):
    old = endpoint.secret

    response = admin_client.post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "change_secrets", "_selected_action": [endpoint.pk]},
        follow=True,
    )

    endpoint.refresh_from_db()
    assert endpoint.secret != old and len(endpoint.secret) >= 40
    assert_shows(response.content.decode(), "1 endpoint has a new secret")


def test_a_private_address_is_refused_beside_the_field(admin_client):
    response = admin_client.post(
        ADD, {"url": "http://169.254.169.254/latest", "events": ["lead.created"], "active": "on"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "url": ["This address is on a private or reserved network, which webhooks may not reach."]
    }
    assert Endpoint.objects.count() == 0


def test_an_endpoint_asks_for_at_least_one_known_event(admin_client, allow_private):
    response = admin_client.post(
        ADD, {"url": "http://127.0.0.1:9/hook", "events": ["lead.archived"], "active": "on"}
    )

    errors = response.context["adminform"].form.errors
    assert errors == {
        "events": ["Select a valid choice. lead.archived is not one of the available choices."]
    }


@pytest.fixture
def staff_manager_client(manager):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(manager)
    return client


def test_webhooks_are_for_administrators_only(staff_manager_client, endpoint):
    for url in (
        reverse("admin:webhooks_endpoint_changelist"),
        reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]),
        LOG,
    ):
        assert staff_manager_client.get(url).status_code == 403
    assert "Webhook" not in staff_manager_client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_delivery_log_shows_each_attempt(
    count,
    admin_client,
    endpoint,
    receiver,
    rep,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    for number in range(count):
        with django_capture_on_commit_callbacks(execute=True):
            leads.create_lead(by=rep, first_name="Lia", last_name=f"Lead{number}", owner=rep)

    # Session, user; the endpoint filter's choices and the event names; count, total, rows
    # with their events and endpoints.
    with django_assert_num_queries(7):
        response = admin_client.get(LOG, {"endpoint__id__exact": endpoint.pk})

    assert response.context["cl"].result_count == count
    delivery = Delivery.objects.first()
    assert_shows(response.content.decode(), "lead.created", "Delivered", delivery.record_key)


def test_resend_sends_the_same_event_again(
    admin_client, endpoint, receiver, rep, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
    delivered = Delivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            LOG,
            {"action": "resend_deliveries", "_selected_action": [delivered.pk]},
            follow=True,
        )

    assert_shows(response.content.decode(), "1 delivery queued again.")
    first, again = receiver.requests
    assert first.json["id"] == again.json["id"]
    assert Delivery.objects.count() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_an_endpoint_made_active_again_gets_what_waited(
    admin_client, endpoint, receiver, rep, django_capture_on_commit_callbacks
):
    lead = leads.create_lead(by=rep, first_name="Lia", last_name="Lead", owner=rep)
    # Its delivery was not sent (the worker was down) when the endpoint was disabled.
    Endpoint.objects.filter(pk=endpoint.pk).update(
        active=False, disabled_at=timezone.now(), consecutive_failures=9
    )
    assert Delivery.objects.get().status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]),
            {"url": endpoint.url, "events": endpoint.events, "active": "on"},
        )

    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.disabled_at, endpoint.consecutive_failures) == (True, None, 0)
    assert receiver.events == [("lead.created", lead.pk)]
