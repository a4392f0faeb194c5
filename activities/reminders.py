"""Reminders: an activity with ``remind_minutes_before`` tells its owner that long before it
starts, in the CRM and by email, once, however many servers run ``send_reminders``."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from activities.models import Activity
from activities.templatetags.activities import record_url
from notifications.models import Notification
from notifications.services import notify

logger = logging.getLogger(__name__)


def claim(activity: Activity, *, now: datetime.datetime) -> bool:
    """Take the activity's reminder for this run: one conditional UPDATE, so that of two
    servers claiming it at once exactly one wins (and sends)."""
    return bool(
        Activity.objects.filter(pk=activity.pk, reminded_at__isnull=True)
        .pending()
        .update(reminded_at=now)
    )


def _email(activity: Activity) -> None:
    """Mail the owner; a refused address is logged, and the other reminders still go."""
    owner = activity.owner
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        context = {
            "activity": activity,
            "owner": owner,
            "url": record_url(activity.record),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("activities/email/reminder_subject.txt", context)
        body = render_to_string("activities/email/reminder.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [owner.email])
    except Exception:
        logger.exception("Reminder email for activity %s not sent", activity.pk)


def remind(activity: Activity) -> None:
    """Tell the owner: a notification now, the email once it is written."""
    starts_at = timezone.localtime(activity.starts_at)
    notify(
        activity.owner,
        Notification.Kind.REMINDER,
        activity,
        url=record_url(activity.record),
        time=formats.time_format(starts_at.time(), "H:i"),
    )
    if activity.owner.email:
        transaction.on_commit(lambda: _email(activity))


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send every reminder whose time has come; how many were sent."""
    now = now or timezone.now()
    candidates = (
        Activity.objects.awaiting_reminder(now)
        .filter(owner__isnull=False, owner__is_active=True)
        .with_subjects()
        .order_by("due_date", "due_time", "pk")
    )
    sent = 0
    for activity in candidates:
        if activity.remind_at > now:
            continue
        with transaction.atomic():
            if not claim(activity, now=now):
                continue  # another server has it
            remind(activity)
        sent += 1
    return sent
