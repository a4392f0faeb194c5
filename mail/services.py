"""Writing email out: an email is written (``send_email``) in the transaction that logs its
Email activity, and handed to the worker after commit (``mail.sending``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import make_msgid
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import Activity
from activities.services import log_activity
from crm.models import User
from mail import bodies, placeholders
from mail.models import EmailTemplate, OutboundEmail
from mail.recipients import Candidate
from mail.sending import deliver_email


def values_for(record, *, to: list[Candidate], by: User) -> placeholders.Values:
    """What the placeholders stand for in an email from ``record`` to ``to``: the first
    recipient is the contact."""
    kind = record._meta.model_name
    contact = to[0].person if to else None
    company_name = None
    if kind == "lead":
        company_name = record.company_name or None
    elif kind == "company":
        company_name = record.name
    elif record.company_id is not None:
        company_name = record.company.name
    elif contact is not None and getattr(contact, "company_id", None):
        company_name = contact.company.name
    return placeholders.Values(
        contact=contact,
        company_name=company_name,
        opportunity_name=record.name if kind == "opportunity" else None,
        sender=by,
    )


def _refuse_opted_out(people: list[Candidate], field: str) -> None:
    refused = [candidate for candidate in people if not candidate.may_email]
    if refused:
        raise ValidationError(
            {
                field: _("%(names)s cannot be emailed: %(reason)s.")
                % {
                    "names": ", ".join(candidate.person.full_name for candidate in refused),
                    "reason": refused[0].refusal,
                }
            }
        )


@transaction.atomic
def send_email(
    *,
    record,
    by: User,
    to: list[Candidate],
    cc: list[Candidate] = (),
    subject: str,
    body: str,
    template: EmailTemplate | None = None,
) -> OutboundEmail:
    """Write an email from ``record``'s page to some of its people, with its placeholders
    filled in and its HTML sanitised, log it as an Email activity on the record, and queue
    it for the worker once committed. The callers offer only ``recipients.candidates``."""
    if not to:
        raise ValidationError({"to": _("Choose at least one recipient.")})
    _refuse_opted_out(to, "to")
    _refuse_opted_out(list(cc), "cc")
    values = values_for(record, to=to, by=by)
    errors = {}
    try:
        subject = " ".join(placeholders.fill(subject, values).split())
    except ValidationError as error:
        errors["subject"] = error.messages
    try:
        html, text = bodies.parts(body)
        html = placeholders.fill(html, values, html=True)
        text = placeholders.fill(text, values)
    except ValidationError as error:
        errors["body"] = error.messages
    if errors:
        raise ValidationError(errors)
    if not text:
        raise ValidationError({"body": _("The email has no text.")})
    activity = log_activity(
        record=record, by=by, kind=Activity.Kind.EMAIL, subject=subject[:200], notes=text
    )
    to_keys = {candidate.key for candidate in to}
    email = OutboundEmail.objects.create(
        activity=activity,
        sent_by=by,
        template=template,
        to=[candidate.as_recipient() for candidate in to],
        cc=[candidate.as_recipient() for candidate in cc if candidate.key not in to_keys],
        subject=subject[:200],
        body_html=html,
        body_text=text,
        message_id=make_msgid(domain=_domain())[1:-1],
    )
    transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email


def _domain() -> str:
    """The domain of the sender's address, which Message-IDs carry."""
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return address.rpartition("@")[2] or "localhost"


def save_template(*, template: EmailTemplate) -> EmailTemplate:
    """Store a template with its body sanitised (placeholders are checked by its form)."""
    template.body = (
        bodies.sanitise(template.body) if bodies.is_html(template.body) else template.body
    )
    template.save()
    return template


@transaction.atomic
def retry_email(email: OutboundEmail) -> bool:
    """Queue a failed email again (failed → queued, its reason cleared), for the worker to
    send after commit; False if it was not failed (sent meanwhile, or already queued again)."""
    queued = OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.QUEUED, error=""
    )
    if queued:
        transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return bool(queued)
