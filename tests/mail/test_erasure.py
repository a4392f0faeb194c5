"""Jane asks to be erased: the emails written to her keep their delivery but lose her name,
her address and their text."""

import pytest

from mail.models import OutboundEmail
from mail.recipients import candidates
from mail.services import send_email
from privacy.services import ERASED, erase_person

pytestmark = pytest.mark.django_db


def test_an_erased_person_leaves_the_emails_written_to_them(rep, manager, acme_deal, jane):
    to = [c for c in candidates(acme_deal, user=rep) if c.person.first_name in ("Jane", "Raj")]
    email = send_email(
        record=acme_deal, by=rep, to=to[:1], cc=to[1:], subject="Hi Jane", body="Dear Jane"
    )

    erase_person(jane, by=manager)

    email = OutboundEmail.objects.select_related("activity").get(pk=email.pk)
    assert [(r["name"], r["email"]) for r in email.to] == [(ERASED, "")]
    assert [(r["name"], r["email"]) for r in email.cc] == [("Raj Patel", "raj@acme.example")]
    assert (email.subject, email.body_text, email.body_html) == (ERASED, "", "")
    assert (email.activity.subject, email.activity.notes) == (ERASED, "")
    assert email.status == "queued"
