"""The daily digest: each active rep gets their day by email (see home.my_day)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.utils import timezone, translation

from crm.models import User
from home.my_day import build_day


def digest_for(rep: User, *, today: datetime.date) -> EmailMultiAlternatives | None:
    """The rep's day as an email, or None when there is nothing to tell them."""
    day = build_day(rep, today=today)
    if day.is_empty:
        return None
    with translation.override(rep.language or settings.LANGUAGE_CODE):
        context = {"day": day, "group": day.groups[0], "rep": rep}
        subject = render_to_string("home/email/digest_subject.txt", context)
        body = render_to_string("home/email/digest.txt", context)
    return EmailMultiAlternatives(" ".join(subject.split()), body, to=[rep.email])


def send_digests(*, today: datetime.date | None = None) -> int:
    """Email every active rep with an address their day; returns how many were sent.

    Reads only: the messages are built first and sent afterwards, outside any transaction,
    over one connection.
    """
    today = today or timezone.localdate()
    reps = User.objects.active().filter(role=User.Role.REP).exclude(email="").select_related("team")
    messages = [message for rep in reps if (message := digest_for(rep, today=today))]
    if not messages:
        return 0
    with mailers.default as connection:
        return connection.send_messages(messages) or 0
