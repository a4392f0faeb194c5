"""Delivering the outbox: each delivery is tried by the worker after the change's commit, tried
again with a growing delay until its event is WEBHOOKS_RETRY_HOURS old, and given up then.

At least once: a delivery is claimed for a while before it is sent, so two workers do not
send it at the same moment; one whose worker died while sending is sent again once the claim
runs out. Receivers dedupe by the event id. In order: a record's next event waits until its
previous one to the same endpoint is delivered or given up.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import User
from infra.tasks import retry_delay
from notifications.models import Notification
from notifications.services import notify_all
from webhooks.models import Delivery, Endpoint
from webhooks.sending import Outcome, body_for, post

logger = logging.getLogger(__name__)

# How long a claimed delivery is left to its worker before another may send it.
CLAIM = timedelta(seconds=60)


@task()
def deliver(delivery_id: int) -> str:
    """Try one delivery if it is due; queued after commit, after each failure and after the
    delivery ahead of it. Says how it went, for the task's result."""
    outcome = attempt(delivery_id)
    if outcome is None:
        return "not sent: delivered already, not due, or waiting for an earlier event"
    return outcome.error or f"delivered: HTTP {outcome.status_code}"


@task()
def deliver_due() -> str:
    """Send every delivery that is due: queued once for a batch of many (an import)."""
    return f"tried {send_due()} deliveries"


def queue(delivery_ids, *, at=None) -> None:
    """Queue ``deliver`` for these deliveries (at ``at``, where the task backend can wait)."""
    the_task = deliver
    if at is not None:
        if not deliver.get_backend().supports_defer:
            return  # the sweep sends it when it is due
        the_task = deliver.using(run_after=at)
    for delivery_id in delivery_ids:
        the_task.enqueue(delivery_id)


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    claimed = Delivery.objects.due(now).filter(pk=delivery_id).update(next_attempt_at=now + CLAIM)
    return claimed == 1


def attempt(delivery_id: int) -> Outcome | None:
    """Send the delivery if it is due, its endpoint active and no earlier event of its record
    waits for the same endpoint, and record how it went; None if it was not sent."""
    delivery = Delivery.objects.select_related("event", "endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return None
    if Delivery.objects.ahead_of(delivery).exists():
        return None
    if not _claim(delivery_id):
        return None
    endpoint, event = delivery.endpoint, delivery.event
    outcome = post(
        url=endpoint.url,
        secret=endpoint.secret,
        body=body_for(event),
        headers={"X-CRM-Event": event.name, "X-CRM-Delivery": str(delivery.pk)},
    )
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    delivery.response_ms = outcome.response_ms
    delivery.last_error = outcome.error
    if outcome.delivered:
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
        Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0, failing_since=None)
    elif now >= event.retry_until:
        delivery.status = Delivery.Status.FAILED
    else:
        delay = retry_delay(delivery.attempts, backoff=settings.WEBHOOKS_RETRY_BACKOFF)
        delivery.next_attempt_at = min(now + delay, event.retry_until)
    with transaction.atomic():
        delivery.save(
            update_fields=[
                "attempts",
                "status",
                "next_attempt_at",
                "last_status_code",
                "response_ms",
                "last_error",
                "delivered_at",
            ]
        )
        if not outcome.delivered:
            _count_failure(endpoint)
    if delivery.status == Delivery.Status.PENDING:
        queue([delivery.pk], at=delivery.next_attempt_at)
    else:
        _queue_next(delivery)
    return outcome


def _queue_next(delivery: Delivery) -> None:
    """The record's next event for the same endpoint, which waited for this one."""
    following = (
        Delivery.objects.pending()
        .filter(endpoint_id=delivery.endpoint_id, record_key=delivery.record_key)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        queue([following])


def _count_failure(endpoint: Endpoint) -> None:
    """One more failed attempt in a row. Once there are WEBHOOKS_DISABLE_AFTER of them and
    the first is WEBHOOKS_DISABLE_HOURS old, the endpoint is disabled (its pending deliveries
    wait) and the admins are told: a receiver down for a few minutes is not disabled however
    many events were waiting for it."""
    now = timezone.now()
    Endpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        failing_since=Coalesce(F("failing_since"), Value(now)),
    )
    disabled = Endpoint.objects.filter(
        pk=endpoint.pk,
        active=True,
        consecutive_failures__gte=settings.WEBHOOKS_DISABLE_AFTER,
        failing_since__lte=now - timedelta(hours=settings.WEBHOOKS_DISABLE_HOURS),
    ).update(active=False, disabled_at=now)
    if disabled:
        logger.warning("Webhook endpoint %s disabled after failing", endpoint.pk)
        transaction.on_commit(lambda: tell_admins_disabled(endpoint))


def tell_admins_disabled(endpoint: Endpoint) -> None:
    admins = User.objects.active().filter(Q(is_superuser=True) | Q(role=User.Role.ADMIN))
    notify_all(
        Notification.Kind.ENDPOINT_DISABLED,
        [(admin, endpoint) for admin in admins],
        name=endpoint.url,
        url=reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]),
    )
    addresses = list(admins.exclude(email="").values_list("email", flat=True))
    if not addresses:
        return
    subject = _("Webhook endpoint disabled: %(url)s") % {"url": endpoint.url}
    message = _(
        "The webhook endpoint %(url)s failed %(count)s times in a row, for more than "
        "%(hours)s hours, and has been disabled. "
        "Its pending deliveries wait; once the receiver answers again, make the endpoint "
        "active in the administration and they are sent."
    ) % {
        "url": endpoint.url,
        "count": settings.WEBHOOKS_DISABLE_AFTER,
        "hours": settings.WEBHOOKS_DISABLE_HOURS,
    }
    send_mail(subject, message, None, addresses)


def send_due() -> int:
    """Try every delivery whose time has come (the first of each record's queue); how many
    were tried. Run from cron: it sends what the worker could not (it was down, a task was
    lost, an endpoint was made active again)."""
    due = Delivery.objects.due().order_by("pk").values_list("pk", flat=True)
    return sum(attempt(delivery_id) is not None for delivery_id in list(due))


@transaction.atomic
def resend(delivery: Delivery) -> Delivery:
    """Send the delivery's event to its endpoint again, as a new delivery."""
    again = Delivery.objects.create(
        event=delivery.event, endpoint=delivery.endpoint, record_key=delivery.record_key
    )
    transaction.on_commit(lambda: queue([again.pk]))
    return again


def endpoint_activated(endpoint: Endpoint) -> None:
    """An admin made the endpoint active again: its count starts over and what waited for it
    is queued."""
    Endpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=0, failing_since=None, disabled_at=None
    )
    waiting = Delivery.objects.due().filter(endpoint=endpoint).order_by("pk")
    ids = list(waiting.values_list("pk", flat=True))
    transaction.on_commit(lambda: queue(ids))
