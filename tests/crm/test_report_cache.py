"""Cached report figures: kept until a change that they count, never read again after one.

A change retires the figures of whoever may see the record: its owner, its team's people and
managers, and the admins. Everyone else's stay in the cache.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from activities.models import Activity
from activities.services import schedule_activity
from infra.report_cache import EPOCH, _version_key, cached_figures, figures_changed
from leads.services import assign, create_lead
from opportunities.services import create_opportunity, mark_won, update_opportunity
from tests.factories import make_pipeline, make_user


class Figures:
    """Counts how often the figures are worked out for each user."""

    def __init__(self):
        self.computed = []

    def of(self, user, name="pipeline"):
        def compute():
            self.computed.append(user.username)
            return len(self.computed)

        return cached_figures(name, [user.pk], compute, user=user)

    def recomputed(self, *users) -> list[str]:
        """Whose figures are worked out again when each of ``users`` opens the page."""
        self.computed.clear()
        for user in users:
            self.of(user)
        return sorted(self.computed)


@pytest.fixture
def figures():
    return Figures()


@pytest.fixture
def stage(db):
    return make_pipeline(name="Sales").stages.order_by("order").first()


@pytest.fixture
def everyone(rep, teammate, manager, other_rep, south_manager, admin_user):
    return [rep, teammate, manager, other_rep, south_manager, admin_user]


def open_deal(owner, stage, amount="1000"):
    return create_opportunity(
        by=owner,
        stage=stage,
        name="Acme renewal",
        amount=Decimal(amount),
        expected_close_date=timezone.localdate(),
    )


def seen_by(figures, everyone):
    for user in everyone:
        figures.of(user)


def test_figures_are_worked_out_once_until_a_change(
    figures, rep, stage, django_capture_on_commit_callbacks
):
    first, again = figures.of(rep), figures.of(rep)
    with django_capture_on_commit_callbacks(execute=True):
        open_deal(rep, stage)
    after = figures.of(rep)

    assert (first, again, after) == (1, 1, 2)


def test_a_won_deal_retires_the_figures_of_those_who_see_it_and_no_one_else(
    figures, everyone, rep, stage, django_capture_on_commit_callbacks
):
    deal = open_deal(rep, stage)
    seen_by(figures, everyone)

    with django_capture_on_commit_callbacks(execute=True):
        mark_won(deal, by=rep)

    # Bob shares Alice's team: he sees its unowned deals, so his go too.
    assert figures.recomputed(*everyone) == ["ada", "alice", "bob", "mia"]


def test_a_deal_handed_to_another_team_retires_both_teams_figures(
    figures, everyone, rep, other_rep, stage, django_capture_on_commit_callbacks
):
    deal = open_deal(rep, stage)
    seen_by(figures, everyone)

    with django_capture_on_commit_callbacks(execute=True):
        update_opportunity(deal, by=rep, version=deal.version, owner=other_rep)

    assert figures.recomputed(*everyone) == ["ada", "alice", "bob", "charlie", "mia", "sam"]


def test_leads_handed_over_retire_the_figures_they_leave(
    figures, everyone, rep, other_rep, manager, django_capture_on_commit_callbacks
):
    lead = create_lead(by=rep, last_name="Garcia", owner=rep)
    seen_by(figures, everyone)

    with django_capture_on_commit_callbacks(execute=True):
        assign([lead], owner=other_rep, by=manager)

    assert figures.recomputed(*everyone) == ["ada", "alice", "bob", "charlie", "mia", "sam"]


def test_a_next_step_planned_by_the_manager_retires_the_deal_owners_figures(
    figures, everyone, rep, manager, stage, django_capture_on_commit_callbacks
):
    deal = open_deal(rep, stage)
    seen_by(figures, everyone)

    with django_capture_on_commit_callbacks(execute=True):
        schedule_activity(
            record=deal,
            by=manager,
            owner=manager,
            kind=Activity.Kind.CALL,
            subject="Call the buyer",
            due_date=timezone.localdate() + datetime.timedelta(days=1),
        )

    assert figures.recomputed(*everyone) == ["ada", "alice", "bob", "mia"]


def test_a_rep_who_moved_team_counts_for_their_new_manager(
    figures, rep, other_rep, south_manager, stage, django_capture_on_commit_callbacks
):
    # Charlie's deal is still filed under North, the team he has left.
    deal = open_deal(other_rep, stage)
    deal.team = rep.team
    deal.save(update_fields=["team"])
    figures.of(south_manager)

    with django_capture_on_commit_callbacks(execute=True):
        mark_won(deal, by=other_rep)

    assert figures.recomputed(south_manager) == ["sam"]


def test_a_change_to_who_runs_a_team_shows_in_the_managers_figures(
    figures, manager, south, rep, stage, django_capture_on_commit_callbacks
):
    figures.of(manager)
    with django_capture_on_commit_callbacks(execute=True):
        south.manager = manager
        south.save(update_fields=["manager"])
        figures_changed()  # what the admin site does on save
    charlie = make_user(username="charlie", team=south)
    figures.of(manager)

    with django_capture_on_commit_callbacks(execute=True):
        open_deal(charlie, stage)

    assert figures.recomputed(manager) == ["mia"]


def test_a_change_of_no_record_in_particular_retires_everyones_figures(
    figures, everyone, django_capture_on_commit_callbacks
):
    seen_by(figures, everyone)

    with django_capture_on_commit_callbacks(execute=True):
        figures_changed()  # an exchange rate, a stage, an edit in the admin site

    assert len(figures.recomputed(*everyone)) == len(everyone)


def test_a_change_rolled_back_retires_nothing(
    figures, everyone, rep, stage, django_capture_on_commit_callbacks
):
    seen_by(figures, everyone)

    with django_capture_on_commit_callbacks(execute=False):
        open_deal(rep, stage)

    assert figures.recomputed(*everyone) == []


def test_each_name_and_key_keeps_its_own_figures(figures, rep):
    pipeline = figures.of(rep, "pipeline")
    forecast = figures.of(rep, "forecast")

    assert (pipeline, forecast) == (1, 2)


def test_a_lost_version_never_brings_old_figures_back(figures, everyone):
    seen_by(figures, everyone)

    cache.delete(_version_key(EPOCH))  # evicted: the next one starts a new series, not 1

    assert len(figures.recomputed(*everyone)) == len(everyone)
