"""A record handed to someone else takes along the steps its previous owner still had to do."""

import datetime

from django.utils import timezone

from activities.models import Activity
from activities.services import schedule_activity
from leads.services import assign, update_lead
from opportunities.services import update_opportunity
from tests.factories import make_lead


def plan(record, by, subject, owner=None):
    return schedule_activity(
        record=record,
        by=by,
        owner=owner,
        kind=Activity.Kind.CALL,
        subject=subject,
        due_date=timezone.localdate() + datetime.timedelta(days=1),
    )


def owners(*activities) -> list[str]:
    return [Activity.objects.get(pk=a.pk).owner.username for a in activities]


def test_a_deal_handed_to_a_teammate_takes_its_planned_call_to_their_day(
    deal, rep, teammate, manager, teammate_client
):
    call = plan(deal, rep, "Call the buyer")
    review = plan(deal, manager, "Review the terms", owner=manager)

    update_opportunity(deal, by=manager, version=deal.version, owner=teammate)

    assert owners(call, review) == ["bob", "mia"]  # the manager's own step stays his
    assert "Call the buyer" in teammate_client.get("/").content.decode()


def test_a_done_call_stays_with_who_made_it(deal, rep, teammate, manager):
    call = plan(deal, rep, "Call the buyer")
    Activity.objects.filter(pk=call.pk).update(done_at=timezone.now())

    update_opportunity(deal, by=manager, version=deal.version, owner=teammate)

    assert owners(call) == ["alice"]


def test_leads_handed_over_take_their_planned_steps_along(rep, teammate, other_rep, manager):
    first, second = make_lead(owner=rep), make_lead(owner=rep)
    first_call, second_call = plan(first, rep, "First call"), plan(second, rep, "Second call")

    assign([first], owner=teammate, by=manager)
    update_lead(second, by=manager, owner=teammate)

    assert owners(first_call, second_call) == ["bob", "bob"]
    assert Activity.objects.get(pk=first_call.pk).team == teammate.team
