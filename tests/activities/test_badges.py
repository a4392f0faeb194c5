"""Badge rules, each on its boundary: overdue (due yesterday, not today), no next step (nothing
pending due today or later on an open deal) and stale (more than the stage's days without
activity)."""

import datetime

import pytest
from django.utils import timezone

from activities.models import start_of_day, with_activity_badges
from leads.models import Lead
from opportunities.models import Opportunity
from tests.factories import make_activity, make_lead, make_opportunity, make_stage

TODAY = datetime.date(2026, 3, 10)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def noon(day: datetime.date) -> datetime.datetime:
    return start_of_day(day) + datetime.timedelta(hours=12)


def badges(opportunity):
    return with_activity_badges(Opportunity.objects.filter(pk=opportunity.pk), today=TODAY).get()


@pytest.fixture
def deal(rep):
    return make_opportunity(owner=rep, stage=make_stage(stale_after_days=5))


def test_activity_due_today_is_not_overdue(deal):
    make_activity(opportunity=deal, due_date=TODAY)
    assert badges(deal).has_overdue is False


def test_activity_due_yesterday_is_overdue(deal):
    make_activity(opportunity=deal, due_date=days_ago(1))
    assert badges(deal).has_overdue is True


def test_done_activity_due_yesterday_is_not_overdue(deal):
    make_activity(opportunity=deal, due_date=days_ago(1), done_at=noon(days_ago(1)))
    assert badges(deal).has_overdue is False


def test_open_deal_without_any_activity_has_no_next_step(deal):
    assert badges(deal).needs_next_step is True


def test_activity_due_today_is_a_next_step(deal):
    make_activity(opportunity=deal, due_date=TODAY)
    assert badges(deal).needs_next_step is False


def test_a_deal_whose_step_is_late_is_overdue_not_without_a_next_step(deal):
    make_activity(opportunity=deal, due_date=days_ago(1))
    result = badges(deal)
    assert (result.needs_next_step, result.has_overdue) == (False, True)


def test_done_or_note_is_not_a_next_step(deal):
    make_activity(opportunity=deal, due_date=TODAY, done_at=noon(TODAY))
    make_activity(opportunity=deal, kind="note", due_date=None, done_at=noon(TODAY))
    assert badges(deal).needs_next_step is True


def test_closed_deal_needs_no_next_step(deal):
    Opportunity.objects.filter(pk=deal.pk).update(status=Opportunity.Status.WON)
    assert badges(deal).needs_next_step is False


def test_next_activity_is_the_earliest_pending_one(deal):
    make_activity(opportunity=deal, subject="Later", due_date=TODAY + datetime.timedelta(days=3))
    soon = make_activity(opportunity=deal, subject="Sooner", due_date=TODAY)
    result = badges(deal)
    assert (result.next_activity_id, result.next_activity_subject, result.next_activity_date) == (
        soon.pk,
        "Sooner",
        TODAY,
    )


@pytest.mark.parametrize(("days", "stale"), [(4, False), (5, False), (6, True)])
def test_stale_after_more_than_the_stage_days_since_last_activity(deal, days, stale):
    Opportunity.objects.filter(pk=deal.pk).update(created_at=noon(days_ago(30)))
    make_activity(opportunity=deal, due_date=days_ago(days), done_at=noon(days_ago(days)))
    result = badges(deal)
    assert (result.is_stale, result.last_activity_at) == (stale, noon(days_ago(days)))


@pytest.mark.parametrize(("days", "stale"), [(5, False), (6, True)])
def test_stale_counts_from_creation_when_nothing_was_done(deal, days, stale):
    Opportunity.objects.filter(pk=deal.pk).update(created_at=start_of_day(days_ago(days)))
    assert badges(deal).is_stale is stale


def test_stale_ignores_late_hours_of_the_boundary_day(deal):
    Opportunity.objects.filter(pk=deal.pk).update(created_at=noon(days_ago(30)))
    late = start_of_day(days_ago(5)) + datetime.timedelta(hours=23, minutes=59)
    make_activity(opportunity=deal, due_date=days_ago(5), done_at=late)
    assert badges(deal).is_stale is False


def test_closed_deal_is_never_stale(deal):
    Opportunity.objects.filter(pk=deal.pk).update(
        status=Opportunity.Status.WON, created_at=noon(days_ago(30))
    )
    assert badges(deal).is_stale is False


def test_badges_annotate_a_whole_board_in_one_query(rep, django_assert_num_queries):
    stage = make_stage(stale_after_days=5)
    for _ in range(3):
        deal = make_opportunity(owner=rep, stage=stage)
        make_activity(opportunity=deal, due_date=days_ago(1))
    with django_assert_num_queries(1):  # the deals with their badge subqueries
        deals = list(with_activity_badges(Opportunity.objects.all(), today=TODAY))
    assert [(d.has_overdue, d.needs_next_step) for d in deals] == [(True, False)] * 3


def test_lead_badges(rep):
    lead = make_lead(owner=rep)
    make_activity(lead=lead, due_date=days_ago(1))
    result = with_activity_badges(Lead.objects.all(), today=TODAY).get()
    assert (result.has_overdue, result.has_next_step) == (True, False)
    assert not hasattr(result, "is_stale")


def test_today_defaults_to_the_local_date(deal):
    make_activity(opportunity=deal, due_date=timezone.localdate())
    result = with_activity_badges(Opportunity.objects.filter(pk=deal.pk)).get()
    assert (result.has_overdue, result.needs_next_step) == (False, False)
