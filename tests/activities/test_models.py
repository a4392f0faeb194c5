"""The Activity table: exactly one record per activity, and who sees which activity."""

import pytest
from django.db import IntegrityError, transaction

from activities.models import Activity
from tests.factories import make_activity, make_company, make_lead, make_opportunity


def test_activity_about_nothing_is_refused_by_the_database(rep):
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(subject="Orphan", owner=rep)


def test_activity_about_two_records_is_refused_by_the_database(rep):
    deal = make_opportunity(owner=rep)
    company = make_company(owner=rep)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(subject="Both", owner=rep, opportunity=deal, company=company)


def test_activity_about_one_record_is_stored(rep):
    lead = make_lead(owner=rep)
    activity = Activity.objects.create(subject="Call back", owner=rep, lead=lead)
    assert (activity.record, list(lead.activities.all())) == (lead, [activity])


@pytest.mark.parametrize("by_row", [False, True], ids=["gathered", "by row"])
def test_activity_is_seen_by_whoever_sees_its_record(
    rep, teammate, other_rep, manager, north, by_row
):
    deal = make_opportunity(owner=rep)
    managers_note = make_activity(opportunity=deal, owner=manager, kind="note", due_date=None)
    own = make_activity(opportunity=deal, owner=rep)
    team_deal = make_opportunity(team=north)
    on_team_deal = make_activity(opportunity=team_deal, owner=teammate)

    lead_call = make_activity(lead=make_lead(team=north), owner=None)
    theirs = make_activity(company=make_company(owner=other_rep), owner=other_rep)

    def seen(user):
        return set(Activity.objects.visible_to(user, by_row=by_row))

    assert seen(rep) == {managers_note, own, on_team_deal, lead_call}
    assert seen(teammate) == {on_team_deal, lead_call}
    assert seen(manager) == {managers_note, own, on_team_deal, lead_call}
    assert seen(other_rep) == {theirs}


def test_pending_excludes_done_activities_and_notes(rep):
    deal = make_opportunity(owner=rep)
    todo = make_activity(opportunity=deal)
    make_activity(opportunity=deal, done_at="2026-01-01T10:00:00Z")
    make_activity(opportunity=deal, kind="note", due_date=None)
    assert list(Activity.objects.pending()) == [todo]


def test_owned_by_people_of_counts_work_by_who_did_it_not_by_the_record(
    rep, teammate, other_rep, manager, admin_user, north
):
    deal_in_south = make_opportunity(owner=other_rep)
    alice_call = make_activity(owner=rep, opportunity=deal_in_south)
    bob_call = make_activity(owner=teammate)
    charlie_call = make_activity(owner=other_rep)
    north_unowned = make_activity(owner=None, team=north, opportunity=make_opportunity())
    mia_note = make_activity(owner=manager)

    def seen_by(user):
        return set(Activity.objects.owned_by_people_of(user))

    assert seen_by(rep) == {alice_call, north_unowned}
    assert seen_by(manager) == {alice_call, bob_call, north_unowned, mia_note}
    assert seen_by(other_rep) == {charlie_call}
    assert seen_by(admin_user) == {alice_call, bob_call, charlie_call, north_unowned, mia_note}
    rep.is_active = False
    assert seen_by(rep) == set()
