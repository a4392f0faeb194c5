"""An activity reminds its owner N minutes before it starts: in the CRM and by email, once,
however often (and from however many servers) send_reminders runs."""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.reminders import claim, send_reminders
from activities.services import complete_activity, reschedule_activity
from notifications.models import Notification
from tests.factories import make_activity, make_lead
from tests.posted import save_as_loaded


def _in(minutes: int) -> datetime.datetime:
    return timezone.localtime() + datetime.timedelta(minutes=minutes)


def _starting_in(minutes: int, *, remind: int | None, **fields) -> Activity:
    start = _in(minutes).replace(second=0, microsecond=0)
    return make_activity(
        due_date=start.date(), due_time=start.time(), remind_minutes_before=remind, **fields
    )


def _reminders() -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(kind=Notification.Kind.REMINDER)
        .order_by("pk")
        .values_list("user__username", "params__name")
    )


def test_an_activity_due_within_its_reminder_is_reminded_now(
    rep, django_capture_on_commit_callbacks
):
    call = _starting_in(10, remind=15, owner=rep, subject="Call Verde about the renewal")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=io.StringIO())

    assert _reminders() == [("alice", "Call Verde about the renewal")]
    assert [message.to for message in mail.outbox] == [[rep.email]]
    assert mail.outbox[0].subject == (
        f"Reminder: Call Verde about the renewal at {call.due_time:%H:%M}"
    )
    assert "Call Verde about the renewal" in mail.outbox[0].body
    call.refresh_from_db()
    assert call.reminded_at is not None


def test_the_email_links_to_the_record_and_keeps_its_text_as_written(
    rep, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://crm.example.com"
    lead = make_lead(owner=rep)
    _starting_in(10, remind=15, owner=rep, lead=lead, subject="Call A&B <sales>")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=io.StringIO())

    message = mail.outbox[0]
    assert message.subject.startswith("Reminder: Call A&B <sales> at ")
    assert "Call A&B <sales>" in message.body
    assert f"https://crm.example.com{lead.get_absolute_url()}" in message.body


def test_a_second_run_sends_nothing_again(rep, django_capture_on_commit_callbacks):
    _starting_in(10, remind=15, owner=rep)

    with django_capture_on_commit_callbacks(execute=True):
        first = send_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_reminders()

    assert (first, second) == (1, 0)
    assert len(_reminders()) == 1
    assert len(mail.outbox) == 1


def test_of_two_claims_only_one_wins(rep):
    call = _starting_in(10, remind=15, owner=rep)
    now = timezone.now()

    assert [claim(call, now=now), claim(call, now=now)] == [True, False]


def test_an_activity_not_yet_within_its_reminder_waits(rep):
    _starting_in(20, remind=15, owner=rep)

    assert send_reminders() == 0
    assert _reminders() == []


def test_a_done_activity_is_not_reminded(rep):
    call = _starting_in(10, remind=15, owner=rep)
    complete_activity(call, outcome="Done early", by=rep, without_next_step=True)

    assert send_reminders() == 0
    assert _reminders() == []


def test_an_activity_without_a_reminder_is_not_reminded(rep):
    _starting_in(10, remind=None, owner=rep)

    assert send_reminders() == 0


def test_a_rescheduled_activity_is_reminded_again(rep, django_capture_on_commit_callbacks):
    call = _starting_in(10, remind=15, owner=rep)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()

    later = _in(12).replace(second=0, microsecond=0)
    reschedule_activity(
        call, by=rep, due_date=later.date(), due_time=later.time(), remind_minutes_before=15
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = send_reminders()

    assert again == 1
    assert len(_reminders()) == 2
    assert len(mail.outbox) == 2


def test_the_owner_reads_it_in_their_language(rep, django_capture_on_commit_callbacks):
    rep.language = "es"
    rep.save(update_fields=["language"])
    _starting_in(10, remind=15, owner=rep, subject="Llamar")

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()

    assert mail.outbox[0].to == [rep.email]
    assert "Llamar" in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_two_servers_at_once_send_one_reminder(rep):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: the race needs PostgreSQL")
    _starting_in(10, remind=15, owner=rep)
    barrier = threading.Barrier(2)
    sent = []

    def server():
        barrier.wait()
        sent.append(send_reminders())
        connection.close()

    threads = [threading.Thread(target=server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(sent) == [0, 1]
    assert len(_reminders()) == 1
    assert len(mail.outbox) == 1


def test_an_activity_moved_in_the_admin_is_reminded_again(rep, admin_client):
    call = _starting_in(10, remind=15, owner=rep)
    claim(call, now=timezone.now())
    later = _in(90).replace(second=0, microsecond=0)

    response = save_as_loaded(
        admin_client,
        reverse("admin:activities_activity_change", args=[call.pk]),
        due_date=later.date().isoformat(),
        due_time=later.strftime("%H:%M:%S"),
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.due_time, call.reminded_at) == (later.time(), None)
