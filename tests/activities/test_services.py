"""Logging, scheduling, completing and noting: what each one writes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import Activity
from activities.services import (
    NextStep,
    NextStepRequired,
    add_note,
    complete_activity,
    log_activity,
    schedule_activity,
)
from opportunities.models import Opportunity
from tests.factories import make_activity, make_lead, make_opportunity

TODAY = timezone.localdate


def test_log_activity_records_a_done_call_owned_by_whoever_made_it(deal, manager):
    activity = log_activity(
        record=deal, by=manager, kind="call", subject="Called Pat", outcome="Interested"
    )
    activity.refresh_from_db()
    assert (activity.opportunity, activity.owner, activity.done_by, activity.outcome) == (
        deal,
        manager,
        manager,
        "Interested",
    )
    assert (activity.due_date, activity.is_done, activity.team) == (TODAY(), True, deal.team)


def test_log_activity_on_an_earlier_day_is_done_that_day(deal, rep):
    yesterday = TODAY() - datetime.timedelta(days=1)
    activity = log_activity(record=deal, by=rep, kind="meeting", subject="Demo", done_on=yesterday)
    assert timezone.localdate(activity.done_at) == yesterday


def test_schedule_activity_lands_on_the_record_owners_day(deal, manager, rep):
    activity = schedule_activity(
        record=deal, by=manager, kind="call", subject="Check budget", due_date=TODAY()
    )
    assert (activity.owner, activity.team, activity.is_pending) == (rep, rep.team, True)


@pytest.mark.parametrize(
    ("write", "day", "days_from_today"),
    [(log_activity, "done_on", 1), (schedule_activity, "due_date", -1)],
    ids=["logged in the future", "scheduled in the past"],
)
def test_an_activity_on_the_wrong_side_of_today_is_refused(deal, rep, write, day, days_from_today):
    when = TODAY() + datetime.timedelta(days=days_from_today)

    with pytest.raises(ValidationError) as refused:
        write(record=deal, by=rep, kind="call", subject="Wrong day", **{day: when})
    assert list(refused.value.message_dict) == [day]
    assert Activity.objects.count() == 0


def test_complete_activity_with_next_step_schedules_it(deal, rep):
    call = make_activity(opportunity=deal, owner=rep, subject="First call")
    next_step = NextStep(kind="meeting", subject="Demo", due_date=TODAY())
    completion = complete_activity(call, outcome="Wants a demo", by=rep, next_step=next_step)
    call.refresh_from_db()
    assert (call.is_done, call.outcome, call.done_by) == (True, "Wants a demo", rep)
    assert list(Activity.objects.pending().values_list("subject", "kind", "opportunity")) == [
        ("Demo", "meeting", deal.pk)
    ]
    assert completion.next_activity.subject == "Demo"


def test_complete_last_step_of_an_open_deal_requires_a_next_step(deal, rep):
    call = make_activity(opportunity=deal, owner=rep)
    with pytest.raises(NextStepRequired):
        complete_activity(call, outcome="", by=rep)
    call.refresh_from_db()
    assert call.is_pending


def test_complete_last_step_with_no_next_step_for_now_leaves_the_deal_without_one(deal, rep):
    call = make_activity(opportunity=deal, owner=rep)

    completion = complete_activity(call, outcome="Not now", by=rep, without_next_step=True)

    assert (completion.activity.is_done, completion.next_activity) == (True, None)
    assert Activity.objects.pending().count() == 0
    flagged = Opportunity.objects.filter(pk=deal.pk).with_activity_badges().get()
    assert (flagged.needs_next_step, flagged.has_overdue) == (True, False)


def test_complete_takes_a_next_step_or_none_not_both(deal, rep):
    call = make_activity(opportunity=deal, owner=rep)
    next_step = NextStep(kind="call", subject="Call again", due_date=TODAY())

    with pytest.raises(ValueError):
        complete_activity(call, outcome="", by=rep, next_step=next_step, without_next_step=True)

    call.refresh_from_db()
    assert call.is_pending


def test_complete_needs_no_next_step_when_another_is_planned(deal, rep):
    call = make_activity(opportunity=deal, owner=rep)
    make_activity(opportunity=deal, owner=rep, due_date=TODAY() + datetime.timedelta(days=2))
    complete_activity(call, outcome="Done", by=rep)
    call.refresh_from_db()
    assert call.is_done


def test_an_overdue_activity_is_no_next_step(deal, rep):
    call = make_activity(opportunity=deal, owner=rep)
    make_activity(opportunity=deal, owner=rep, due_date=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(NextStepRequired):
        complete_activity(call, outcome="", by=rep)


def test_complete_on_a_closed_deal_or_a_lead_needs_no_next_step(deal, rep):
    Opportunity.objects.filter(pk=deal.pk).update(status=Opportunity.Status.WON)
    on_won_deal = make_activity(opportunity=make_opportunity(owner=rep, status="won"))
    on_lead = make_activity(lead=make_lead(owner=rep))
    complete_activity(on_won_deal, outcome="", by=rep)
    complete_activity(on_lead, outcome="", by=rep)
    assert Activity.objects.pending().count() == 0


def test_complete_twice_is_refused(deal, rep):
    call = make_activity(opportunity=deal, owner=rep, lead=None)
    make_activity(opportunity=deal, owner=rep, due_date=TODAY() + datetime.timedelta(days=2))
    complete_activity(call, outcome="First", by=rep)
    with pytest.raises(ValidationError):
        complete_activity(call, outcome="Second", by=rep)
    call.refresh_from_db()
    assert call.outcome == "First"


def test_add_note_is_done_at_once_and_never_due(deal, rep):
    note = add_note(record=deal, by=rep, text="Budget approved in March.\nCFO agrees.")
    assert (note.kind, note.subject, note.is_done, note.due_date, note.is_pending) == (
        "note",
        "Budget approved in March.",
        True,
        None,
        False,
    )


def test_add_note_refuses_blank_text(deal, rep):
    with pytest.raises(ValidationError):
        add_note(record=deal, by=rep, text="   ")
