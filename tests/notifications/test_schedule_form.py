"""The schedule form offers a reminder, which needs a time to count from."""

import datetime

from django.utils import timezone

from activities.models import Activity
from tests.factories import make_opportunity


def _schedule(client, deal, **fields):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"kind": "call", "subject": "Call back", "due_date": tomorrow.isoformat(), **fields}
    return client.post(f"/activities/schedule/?opportunity={deal.pk}", data)


def test_an_activity_is_scheduled_with_a_reminder(rep, rep_client):
    deal = make_opportunity(owner=rep)

    response = _schedule(rep_client, deal, due_time="14:00", remind_minutes_before="30")

    assert response.status_code == 302
    assert Activity.objects.get().remind_minutes_before == 30


def test_a_reminder_without_a_time_is_refused_beside_the_field(rep, rep_client):
    deal = make_opportunity(owner=rep)

    response = _schedule(rep_client, deal, remind_minutes_before="30")

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "remind_minutes_before": ["A reminder needs a time to count from."]
    }
    assert Activity.objects.count() == 0


def test_no_reminder_is_the_default(rep, rep_client):
    deal = make_opportunity(owner=rep)

    _schedule(rep_client, deal, due_time="14:00", remind_minutes_before="")

    assert Activity.objects.get().remind_minutes_before is None
