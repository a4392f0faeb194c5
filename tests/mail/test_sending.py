"""Alice writes to the people of her Acme deal: the email is logged on the deal, queued, and
sent once by the worker through a real mail server; or it fails, and says why."""

import datetime
import email
from email import policy

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import Activity
from mail import sending
from mail.models import OutboundEmail
from mail.recipients import candidates
from mail.services import send_email

pytestmark = pytest.mark.django_db


def people(record, user, *names):
    by_name = {
        candidate.person.first_name: candidate for candidate in candidates(record, user=user)
    }
    return [by_name[name] for name in names]


def write(record, user, *, to=("Jane",), cc=(), subject="Renewal", body="Hello"):
    return send_email(
        record=record,
        by=user,
        to=people(record, user, *to),
        cc=people(record, user, *cc),
        subject=subject,
        body=body,
    )


def test_an_email_is_sent_through_the_mail_server_once_committed(
    rep, acme_deal, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = write(
            acme_deal,
            rep,
            to=("Jane",),
            cc=("Raj",),
            subject="{{ opportunity.name }}: next steps",
            body=(
                "<p>Hello {{ contact.first_name }},</p>"
                "<p>See <a href='https://acme.example/x'>the plan</a>.</p>"
            ),
        )

    sent.refresh_from_db()
    assert (sent.status, sent.error) == ("sent", "")
    assert sent.sent_at is not None
    [envelope] = smtp_server.envelopes
    assert sorted(envelope.rcpt_tos) == ["jane@acme.example", "raj@acme.example"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == "Acme renewal: next steps"
    assert message["To"] == "Jane Doe <jane@acme.example>"
    assert message["Cc"] == "Raj Patel <raj@acme.example>"
    assert message["Reply-To"] == rep.email
    assert message["Message-ID"] == f"<{sent.message_id}>"
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",)).get_content()
    assert text.strip() == sent.body_text == "Hello Jane,\n\nSee the plan (https://acme.example/x)."
    assert "<p>Hello Jane,</p>" in html
    activity = sent.activity
    assert (activity.kind, activity.subject, activity.opportunity, activity.done_by) == (
        Activity.Kind.EMAIL,
        "Acme renewal: next steps",
        acme_deal,
        rep,
    )
    assert activity.is_done


def test_an_email_the_server_refuses_is_failed_with_the_reason(
    rep, acme_deal, no_smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        failed = write(acme_deal, rep)

    failed.refresh_from_db()
    assert failed.status == "failed"
    assert failed.error.startswith("ConnectionRefusedError:")
    assert failed.sent_at is None


def test_an_email_is_sent_once_however_often_its_task_runs(rep, acme_deal, smtp_server):
    queued = write(acme_deal, rep)  # not committed: the task has not run

    assert sending.send(queued.pk) == "sent"
    assert sending.send(queued.pk) == "not sent: sent already, or being sent"
    assert len(smtp_server.envelopes) == 1


def test_an_email_whose_worker_died_while_sending_it_is_marked_failed_not_sent_again(
    rep, acme_deal, smtp_server
):
    queued = write(acme_deal, rep)
    assert sending.claim(queued.pk)  # the worker that took it dies before it finishes
    later = timezone.now() + sending.INTERRUPTED_AFTER + datetime.timedelta(seconds=1)

    assert sending.fail_interrupted(now=timezone.now()) == 0  # it may still be on its way
    assert sending.fail_interrupted(now=later) == 1

    queued.refresh_from_db()
    assert queued.status == OutboundEmail.Status.FAILED
    assert queued.error.startswith("The sending was interrupted; the email may have gone out.")
    assert sending.send(queued.pk) == "not sent: sent already, or being sent"
    assert smtp_server.envelopes == []


def test_an_email_claimed_by_another_worker_is_left_to_it(rep, acme_deal, smtp_server):
    queued = write(acme_deal, rep)
    assert sending.claim(queued.pk)  # another worker has it

    assert sending.send(queued.pk) == "not sent: sent already, or being sent"
    assert smtp_server.envelopes == []


def test_an_opted_out_person_cannot_be_a_recipient(rep, acme_deal):
    [olga] = [c for c in candidates(acme_deal, user=rep) if c.person.first_name == "Olga"]

    with pytest.raises(ValidationError) as refused:
        send_email(record=acme_deal, by=rep, to=[olga], subject="Hi", body="Hello")

    assert refused.value.message_dict == {
        "to": ["Olga Opt cannot be emailed: asked not to be emailed."]
    }
    assert OutboundEmail.objects.count() == 0


def test_a_person_who_opts_out_before_the_send_is_not_written_to(rep, acme_deal, jane, smtp_server):
    queued = write(acme_deal, rep, to=("Jane",), cc=("Raj",))
    jane.email_opt_out = True
    jane.save(update_fields=["email_opt_out"])

    sending.send(queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.error) == (
        "failed",
        "No recipient may be emailed any more (opted out or address changed).",
    )
    assert smtp_server.envelopes == []


def test_html_is_sanitised_before_it_is_stored(rep, acme_deal):
    queued = write(
        acme_deal,
        rep,
        body=(
            '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x()">here</a>'
            '<img src="https://t.example/p.gif"></p>'
        ),
    )

    assert queued.body_html == '<p>Hi <a rel="noopener noreferrer">here</a></p>'
    assert queued.body_text == "Hi here"


def test_a_plain_text_email_keeps_its_lines_and_gets_an_html_part(rep, acme_deal):
    queued = write(acme_deal, rep, body="Hello {{ contact.first_name }},\n\n1 < 2 & so on.")

    assert queued.body_text == "Hello Jane,\n\n1 < 2 & so on."
    assert queued.body_html == "<p>Hello Jane,</p>\n\n<p>1 &lt; 2 &amp; so on.</p>"


def test_a_placeholder_value_is_escaped_in_the_html_part(rep, acme_deal, jane):
    jane.first_name = "<b>Jane</b>"
    jane.save(update_fields=["first_name"])

    queued = write(acme_deal, rep, to=("<b>Jane</b>",), body="<p>Hi {{ contact.first_name }}</p>")

    assert queued.body_html == "<p>Hi &lt;b&gt;Jane&lt;/b&gt;</p>"
    assert queued.body_text == "Hi <b>Jane</b>"


@pytest.mark.parametrize(
    ("subject", "error"),
    [
        ("{{ contact.password }}", "Unknown placeholder {{ contact.password }}."),
        (
            "{{ contact.company.owner.email }}",
            "Unknown placeholder {{ contact.company.owner.email }}.",
        ),
        ("{% load static %}", "Only placeholders such as {{ contact.first_name }} may be used."),
    ],
)
def test_a_bad_placeholder_is_refused_by_name(rep, acme_deal, subject, error):
    with pytest.raises(ValidationError) as refused:
        write(acme_deal, rep, subject=subject)

    assert refused.value.message_dict["subject"][0].startswith(error)


def test_a_deal_placeholder_from_a_contact_page_is_refused(rep, jane):
    with pytest.raises(ValidationError) as refused:
        write(jane, rep, subject="About {{ opportunity.name }}")

    assert refused.value.message_dict == {
        "subject": ["{{ opportunity.name }} has nothing to stand for in this email."]
    }
