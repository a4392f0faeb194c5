"""A year of events is kept, then purged daily; a burst of lockouts or refusals mails the
admins once."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from crm.models import SecurityEvent
from crm.security_log import Kind, record
from tests.factories import make_opportunity
from tests.security_log.conftest import events


def _aged(event: SecurityEvent, *, days: float) -> None:
    # The model refuses any change; the test ages a row as the passing days would.
    moment = timezone.now() - datetime.timedelta(days=days)
    models.QuerySet.update(SecurityEvent.objects.filter(pk=event.pk), created_at=moment)


def test_the_purge_removes_only_what_is_older_than_the_setting(db, settings, capsys):
    settings.SECURITY_LOG_DAYS = 30
    kept = record(Kind.LOGIN_FAILED, username="kept")
    almost = record(Kind.LOGIN_FAILED, username="almost")
    gone = record(Kind.LOGIN_FAILED, username="gone")
    _aged(almost, days=29.9)
    _aged(gone, days=30.1)

    call_command("purge_security_log")

    assert [event.username for event in events()] == ["kept", "almost"]
    assert kept.pk in {event.pk for event in events()}
    assert "1 security event(s) older than 30 days deleted." in capsys.readouterr().out


def test_a_burst_of_refusals_mails_the_admins_once_and_is_recorded(
    charlie_browser,
    rep,
    other_rep,
    admin_user,
    stages,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SECURITY_BURST_EVENTS = 3
    settings.SECURITY_BURST_MINUTES = 24 * 60  # one window for the whole test
    deals = [make_opportunity(name=f"Deal {n}", owner=rep, stage=stages[0]) for n in range(6)]

    with django_capture_on_commit_callbacks(execute=True):  # the mail goes once committed
        for deal in deals:
            charlie_browser.get(reverse("opportunities:detail", args=[deal.pk]))

    assert len(events(Kind.ACCESS_DENIED)) == 6
    [alert] = events(Kind.BURST_ALERT)
    assert (alert.details["events"], alert.details["minutes"]) == (4, 24 * 60)
    [message] = mail.outbox
    assert message.to == [admin_user.email]
    assert message.subject == "Security alert: many lockouts or denied accesses"
    assert "More than 3 logins were locked or accesses to records denied" in message.body


def test_fewer_refusals_than_the_limit_mail_nobody(
    charlie_browser, rep, admin_user, stages, settings, django_capture_on_commit_callbacks
):
    settings.SECURITY_BURST_EVENTS = 3
    deals = [make_opportunity(owner=rep, stage=stages[0]) for _n in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        for deal in deals:
            charlie_browser.get(reverse("opportunities:detail", args=[deal.pk]))

    assert len(events(Kind.ACCESS_DENIED)) == 3
    assert events(Kind.BURST_ALERT) == []
    assert mail.outbox == []
