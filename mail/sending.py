"""Sending an email on the worker, once: the task claims it (queued → sending) in one
conditional UPDATE, as reminders are claimed, so that a task run again after a crash, or the
same task taken by two workers, finds nothing left to send. It ends sent, with the time, or
failed, with the reason the mail server gave."""

import datetime
import logging
from email.headerregistry import Address

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_noop

from crm.models import Contact
from leads.models import Lead
from mail.models import OutboundEmail

logger = logging.getLogger(__name__)

PEOPLE = {"contact": Contact, "lead": Lead}


# Longer than any mail server takes to answer: an email still being sent after it was left
# by a worker that died (or lost its connection to the database) on the way.
INTERRUPTED_AFTER = datetime.timedelta(minutes=15)


def claim(email_id: int) -> bool:
    return bool(
        OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).update(
            status=OutboundEmail.Status.SENDING, claimed_at=timezone.now()
        )
    )


def fail_interrupted(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the emails a worker took and never finished, so that they show on their
    record and their sender's day with "Send again" rather than stay "sending". They may have
    gone out (the server may have taken them before the worker died): the reason says so, and
    nothing is sent again without a person deciding it."""
    now = now or timezone.now()
    return OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - INTERRUPTED_AFTER
    ).update(
        status=OutboundEmail.Status.FAILED,
        error=gettext_noop(
            "The sending was interrupted; the email may have gone out. Check with the "
            "recipient before sending it again."
        ),
    )


def still_allowed(recipients: list[dict]) -> list[dict]:
    """The recipients who may still be emailed at the address stored: one may have opted out
    since the email was written (``may_email``, the one rule for who is written to)."""
    allowed = set()
    for kind, model in PEOPLE.items():
        ids = [recipient["id"] for recipient in recipients if recipient["kind"] == kind]
        if ids:
            allowed |= {
                (kind, pk, email)
                for pk, email in model.objects.may_email()
                .filter(pk__in=ids)
                .values_list("pk", "email")
            }
    return [r for r in recipients if (r["kind"], r["id"], r["email"]) in allowed]


def _address(recipient: dict) -> str:
    return str(Address(display_name=recipient["name"], addr_spec=recipient["email"]))


def message_for(email: OutboundEmail, *, to: list[dict], cc: list[dict]) -> EmailMultiAlternatives:
    sender = email.sent_by
    reply_to = [sender.email] if sender is not None and sender.email else []
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_address(recipient) for recipient in to],
        cc=[_address(recipient) for recipient in cc],
        reply_to=reply_to,
        headers={"Message-ID": f"<{email.message_id}>"},
    )
    message.attach_alternative(email.body_html, "text/html")
    return message


def _finish(email: OutboundEmail, **fields) -> None:
    OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING).update(**fields)


def send(email_id: int) -> str:
    """Send the email if it is still queued; what happened, for the task's result."""
    if not claim(email_id):
        return "not sent: sent already, or being sent"
    email = OutboundEmail.objects.select_related("sent_by").get(pk=email_id)
    to, cc = still_allowed(email.to), still_allowed(email.cc)
    if not to:
        reason = gettext_noop(
            "No recipient may be emailed any more (opted out or address changed)."
        )
        _finish(email, status=OutboundEmail.Status.FAILED, error=reason)
        return reason
    try:
        message_for(email, to=to, cc=cc).send()
    except Exception as error:  # the mail server's refusal, or no mail server at all
        reason = f"{type(error).__name__}: {error}"[:500]
        logger.warning("Email %s not sent: %s", email.pk, reason)
        _finish(email, status=OutboundEmail.Status.FAILED, error=reason)
        return reason
    _finish(email, status=OutboundEmail.Status.SENT, sent_at=timezone.now(), error="")
    return "sent"


@task()
def deliver_email(email_id: int) -> str:
    """Queued after the commit that wrote the email."""
    return send(email_id)
