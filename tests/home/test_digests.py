"""The daily digest: each active rep gets their day by email; nobody else does."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from home.digests import send_digests
from home.tasks import send_daily_digests
from tests.factories import make_activity, make_lead, make_opportunity, make_user

TODAY = timezone.localdate


@pytest.fixture
def alices_day(rep, deal):
    make_activity(
        opportunity=deal,
        owner=rep,
        subject="Call Pat",
        due_date=TODAY() - datetime.timedelta(days=1),
    )
    make_activity(opportunity=deal, owner=rep, subject="Send offer", due_date=TODAY())
    make_lead(first_name="Nora", last_name="New", company_name="Nordic AB", owner=rep)


def test_digest_tells_the_rep_their_day(alices_day, rep):
    assert send_digests() == 1
    [message] = mail.outbox
    assert (message.to, message.subject) == ([rep.email], "Your day: 2 activities due")
    assert "Good morning Alice" in message.body
    assert "Overdue\n- " in message.body and "Task: Call Pat (Acme renewal)" in message.body
    assert "Today\n- Task: Send offer (Acme renewal)" in message.body
    assert "New leads not yet contacted\n- Nora New (Nordic AB)" in message.body


def test_no_digest_for_an_empty_day_inactive_rep_or_manager(rep, teammate, manager, stage):
    make_opportunity(owner=manager, stage=stage)  # a manager's deal with no next step
    gone = make_user(username="gone", team=rep.team, is_active=False)
    make_opportunity(owner=gone, stage=stage)
    assert send_digests() == 0
    assert mail.outbox == []


def test_command_sends_the_digests(alices_day, capsys):
    call_command("send_digests")
    assert (len(mail.outbox), capsys.readouterr().out) == (1, "1 digest(s) sent.\n")


def test_command_reports_another_day(alices_day, capsys):
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    call_command("send_digests", "--date", tomorrow)
    assert "Send offer" in mail.outbox[0].body.split("Overdue")[1]


def test_task_sends_the_digests(alices_day):
    result = send_daily_digests.enqueue()
    assert (result.return_value, len(mail.outbox)) == (1, 1)
