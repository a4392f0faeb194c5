"""Sending an email on the worker, once: the task claims it (queued → sending) in one
conditional UPDATE, as reminders are claimed, so that a task run again after a crash, or the
same task taken by two workers, finds nothing left to send. It ends sent, with the time, or
failed, with the reason the mail server gave."""

import logging
from email.headerregistry import Address

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

from crm.models import Contact
from leads.models import Lead
from mail.models import OutboundEmail

logger = logging.getLogger(__name__)

PEOPLE = {"contact": Contact, "lead": Lead}


def claim(email_id: int) -> bool:
    return bool(
        OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).update(
            status=OutboundEmail.Status.SENDING
        )
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
        reason = "No recipient may be emailed any more (opted out or address changed)."
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
