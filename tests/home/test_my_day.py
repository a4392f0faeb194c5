"""My day: what a rep sees first thing, and a manager's view of the team, by rep."""

import datetime
import re

import pytest
from django.utils import timezone

from activities.models import start_of_day
from activities.services import schedule_activity
from home.my_day import SECTION_SIZE, TEAM_SECTION_SIZE, build_day
from leads.models import Lead
from leads.services import create_lead, start_working
from opportunities.models import Opportunity
from opportunities.services import mark_won
from tests.factories import make_activity, make_lead, make_opportunity, make_user

TODAY = timezone.localdate


def day(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def subjects(activities):
    return [a.subject for a in activities]


# How long ago a lead came in, which moves on between two requests a second apart.
AGO = re.compile(r"now|(an?|\d+)[\s\xa0](seconds?|minutes?)[\s\xa0]ago")


def same_day(html: str, other: str) -> bool:
    """The same day on both pages (the rest of a page has tokens new on every response, and
    the leads' ages may have moved on by a second)."""
    start = '<div id="my-day"'
    return AGO.sub("", html[html.index(start) :]) == AGO.sub("", other[other.index(start) :])


@pytest.fixture
def alices_week(rep, deal):
    make_activity(opportunity=deal, owner=rep, subject="Late call", due_date=day(-1))
    make_activity(opportunity=deal, owner=rep, subject="Today's meeting", due_date=day(0))
    make_activity(opportunity=deal, owner=rep, subject="In a week", due_date=day(7))
    make_activity(opportunity=deal, owner=rep, subject="Too far", due_date=day(8))
    make_activity(
        opportunity=deal, owner=rep, subject="Done", due_date=day(0), done_at=timezone.now()
    )


def test_rep_day_sorts_activities_into_overdue_today_and_next_week(rep, alices_week):
    [group] = build_day(rep).groups
    assert (subjects(group.overdue), subjects(group.today), subjects(group.upcoming)) == (
        ["Late call"],
        ["Today's meeting"],
        ["In a week"],
    )


def test_rep_day_lists_deals_without_next_step_and_stale_ones(rep, stage):
    planned = make_opportunity(name="Planned", owner=rep, stage=stage)
    make_activity(opportunity=planned, owner=rep, due_date=day(3))
    make_opportunity(name="Forgotten", owner=rep, stage=stage)
    stale = make_opportunity(name="Dusty", owner=rep, stage=stage)
    make_activity(opportunity=stale, owner=rep, due_date=day(1))
    Opportunity.objects.filter(pk=stale.pk).update(created_at=start_of_day(day(-15)))
    make_opportunity(name="Won", owner=rep, stage=stage, status="won")

    [group] = build_day(rep).groups
    assert [d.name for d in group.no_next_step] == ["Forgotten"]
    assert [d.name for d in group.stale] == ["Dusty"]


def test_each_deal_is_listed_once_with_all_its_badges(rep_client, rep, stage):
    forgotten = make_opportunity(name="Forgotten and dusty", owner=rep, stage=stage)
    Opportunity.objects.filter(pk=forgotten.pk).update(created_at=start_of_day(day(-15)))
    late = make_opportunity(name="Late", owner=rep, stage=stage)
    make_activity(opportunity=late, owner=rep, subject="Late call", due_date=day(-2))

    [group] = build_day(rep).groups
    html = rep_client.get("/").content.decode()

    # Without a next step and stale: once, under "no next step", with both badges.
    assert ([d.name for d in group.no_next_step], group.stale) == (["Forgotten and dusty"], [])
    assert (group.totals["no_next_step"], group.totals["stale"]) == (1, 0)
    assert html.count(f'id="day-deal-form-next-{forgotten.pk}"') == 1
    assert html.count(f'id="day-deal-form-stale-{forgotten.pk}"') == 0
    # A late step is still a step: the deal is overdue (its call is listed), not without one.
    assert subjects(group.overdue) == ["Late call"]
    assert late.pk not in [d.pk for d in group.no_next_step]


def test_rep_day_lists_new_leads_nobody_has_touched(rep, north, other_rep):
    make_lead(first_name="Fresh", last_name="Lead", owner=rep)
    make_lead(first_name="Team", last_name="Lead", team=north)
    touched = make_lead(first_name="Called", last_name="Lead", owner=rep)
    make_activity(lead=touched, owner=rep, due_date=day(2))
    make_lead(first_name="Working", last_name="Lead", owner=rep, status="working")
    make_lead(first_name="Charlies", last_name="Lead", owner=other_rep)

    [group] = build_day(rep).groups
    assert sorted(str(lead) for lead in group.new_leads) == ["Fresh Lead", "Team Lead"]


def test_rep_day_leaves_out_teammates_work(rep, teammate, stage):
    bobs = make_opportunity(owner=teammate, stage=stage)
    make_activity(opportunity=bobs, owner=teammate, subject="Bob's call")
    assert build_day(rep).is_empty


def test_manager_day_is_grouped_by_rep(manager, rep, teammate, other_rep, stage):
    alices = make_opportunity(name="Alice's deal", owner=rep, stage=stage)
    make_activity(opportunity=alices, owner=rep, subject="Alice calls", due_date=day(0))
    make_opportunity(name="Bob's deal", owner=teammate, stage=stage)
    charlies = make_opportunity(owner=other_rep, stage=stage)
    make_activity(opportunity=charlies, owner=other_rep, subject="Charlie calls")

    result = build_day(manager)
    groups = {str(g.rep): g for g in result.groups}
    assert list(groups) == ["Alice Rep", "Bob Rep"]
    assert subjects(groups["Alice Rep"].today) == ["Alice calls"]
    assert [d.name for d in groups["Bob Rep"].no_next_step] == ["Bob's deal"]


def test_home_page_shows_the_rep_day(rep_client, alices_week):
    html = rep_client.get("/").content.decode()
    assert "<html" in html
    assert "Late call" in html and "Today&#x27;s meeting" in html and "In a week" in html
    assert "Too far" not in html


def test_home_says_how_long_ago_a_new_lead_came_in_in_plain_words(rep_client, rep):
    make_lead(first_name="Fresh", last_name="Lead", owner=rep)
    older = make_lead(first_name="Older", last_name="Lead", owner=rep)
    type(older).objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3, hours=2)
    )

    html = rep_client.get("/").content.decode()

    assert "0 minutes" not in html
    assert re.search(r"(>|· )(now|a second ago|\d+\xa0seconds? ago)</div>", html)
    assert "3\xa0days, 2\xa0hours ago" in html


def test_home_fragment_with_htmx(rep_client, alices_week, htmx_headers):
    html = rep_client.get("/", headers=htmx_headers).content.decode()
    assert html.lstrip().startswith('<div id="my-day"')
    assert "Late call" in html


def test_manager_home_shows_each_rep(manager_client, rep, teammate, stage):
    make_opportunity(name="Bob's deal", owner=teammate, stage=stage)
    html = manager_client.get("/").content.decode()
    assert "Alice Rep" in html and "Bob Rep" in html and "Bob&#x27;s deal" in html


def test_home_refuses_post(rep_client):
    assert rep_client.post("/").status_code == 405


def test_home_needs_login(client):
    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def arrived_a_while_ago():
    """The leads came in hours ago: "3 hours ago" reads the same on the next request, where
    "now" may have become "a second ago" on a busy machine."""
    Lead.objects.update(created_at=timezone.now() - datetime.timedelta(hours=3))


@pytest.mark.parametrize("rows", [1, 3])
def test_rep_home_query_count(rep_client, rep, stage, rows, django_assert_num_queries):
    for number in range(rows):
        deal = make_opportunity(owner=rep, stage=stage)
        make_activity(opportunity=deal, owner=rep, subject=f"Due {number}", due_date=day(-1))
        make_activity(lead=make_lead(owner=rep), owner=rep, due_date=day(1))
        make_lead(owner=rep)
        make_opportunity(owner=rep, stage=stage)  # nothing planned: no next step
    arrived_a_while_ago()
    # session, user, the user's team (menu), which items (activities, deals needing
    # attention, new leads), then those activities with their records, those deals with their
    # badges, their stages' usual stays before a win (risk flags; cached afterwards), those
    # leads
    with django_assert_num_queries(10):
        html = rep_client.get("/").content.decode()
    assert len(re.findall(r"id=\"day-activity-\d+\"", html)) == 2 * rows
    # Which items is kept in the cache until the next write: the same page again reads only
    # the items themselves.
    with django_assert_num_queries(6):
        again = rep_client.get("/").content.decode()
    assert same_day(again, html)


@pytest.mark.parametrize("rows", [1, 3])
def test_manager_home_query_count(
    manager_client, rep, teammate, stage, rows, django_assert_num_queries
):
    for number in range(rows):
        for owner in (rep, teammate):
            deal = make_opportunity(owner=owner, stage=stage)
            make_activity(opportunity=deal, owner=owner, subject=f"Due {number}", due_date=day(0))
            make_lead(owner=owner)
    arrived_a_while_ago()
    # session, user, the team's people (a manager has no team of their own), which items
    # (activities, deals needing attention: none here, every deal has a call today, so there
    # are no badges to read; new leads), then those activities with their records, those leads;
    # and once, the teams the manager runs with their members (whose writes retire the day)
    with django_assert_num_queries(9):
        html = manager_client.get("/").content.decode()
    # Each rep's section shows its first items only.
    assert len(re.findall(r"id=\"day-activity-\d+\"", html)) == 2 * min(rows, TEAM_SECTION_SIZE)
    with django_assert_num_queries(5):
        again = manager_client.get("/").content.decode()
    assert same_day(again, html)


def test_a_long_section_shows_its_first_items_and_counts_the_rest(rep_client, rep, deal):
    for number in range(SECTION_SIZE + 2):
        make_activity(opportunity=deal, owner=rep, subject=f"Call {number:02d}", due_date=day(-1))

    [group] = build_day(rep).groups
    html = rep_client.get("/").content.decode()

    assert subjects(group.overdue) == [f"Call {number:02d}" for number in range(SECTION_SIZE)]
    assert (group.totals["overdue"], group.more["overdue"], group.due_count) == (12, 2, 12)
    assert "and 2 more" in html


def test_a_manager_sees_each_reps_first_items_even_with_unowned_team_work(
    manager, rep, north, stage
):
    for number in range(TEAM_SECTION_SIZE + 1):
        make_opportunity(name=f"Alice {number:02d}", owner=rep, stage=stage)
        make_opportunity(name=f"Team {number:02d}", owner=None, team=north, stage=stage)

    groups = {str(g.rep): g for g in build_day(manager).groups}

    assert [d.name for d in groups["Alice Rep"].no_next_step] == [
        f"Alice {number:02d}" for number in range(TEAM_SECTION_SIZE)
    ]
    assert groups["Alice Rep"].totals["no_next_step"] == TEAM_SECTION_SIZE + 1
    assert groups["None"].totals["no_next_step"] == TEAM_SECTION_SIZE + 1


def test_an_admins_day_is_their_own(admin_user, rep, deal):
    make_activity(opportunity=deal, owner=rep, subject="Alice's call", due_date=day(0))
    mine = make_opportunity(name="Admin's deal", owner=admin_user, stage=deal.stage)

    result = build_day(admin_user)

    assert not result.by_rep
    [group] = result.groups
    assert (group.today, [d.name for d in group.no_next_step]) == ([], [mine.name])


# Which items a day shows is kept in the cache until a write that can change it.


def test_a_change_shows_on_the_next_request(
    rep_client, rep, deal, htmx_headers, django_capture_on_commit_callbacks
):
    call = make_activity(opportunity=deal, owner=rep, subject="Morning call", due_date=day(0))
    lead = make_lead(first_name="Fresh", last_name="Lead", owner=rep)
    html = rep_client.get("/").content.decode()
    assert "Morning call" in html and "Fresh Lead" in html

    with django_capture_on_commit_callbacks(execute=True):
        rep_client.post(
            f"/activities/{call.pk}/complete/?slot=day",
            {
                "outcome": "",
                "next_kind": "task",
                "next_subject": "Send offer",
                "next_due_date": day(1),
            },
            headers=htmx_headers,
        )
    html = rep_client.get("/").content.decode()
    assert "Morning call" not in html and "Send offer" in html

    with django_capture_on_commit_callbacks(execute=True):
        start_working(lead, by=rep)
    assert "Fresh Lead" not in rep_client.get("/").content.decode()


def test_a_managers_day_follows_the_reps_changes(
    manager, rep, stage, django_capture_on_commit_callbacks
):
    deals = [make_opportunity(name=f"Alice {n}", owner=rep, stage=stage) for n in range(2)]
    make_lead(owner=rep)
    [alice] = [g for g in build_day(manager).groups if g.rep == rep]
    assert (alice.totals["no_next_step"], alice.totals["new_leads"]) == (2, 1)

    with django_capture_on_commit_callbacks(execute=True):
        mark_won(deals[0], by=rep)
        schedule_activity(
            record=deals[1], by=rep, kind="call", subject="Call back", due_date=day(2)
        )
        create_lead(by=rep, first_name="Second", last_name="Lead", owner=rep)

    [alice] = [g for g in build_day(manager).groups if g.rep == rep]
    assert (alice.totals["no_next_step"], alice.totals["upcoming"]) == (0, 1)
    assert alice.totals["new_leads"] == 2
    assert subjects(alice.upcoming) == ["Call back"]


def test_a_new_day_is_worked_out_afresh(rep, deal):
    make_activity(opportunity=deal, owner=rep, subject="Tomorrow's call", due_date=day(1))
    [today] = build_day(rep).groups
    [tomorrow] = build_day(rep, today=day(1)).groups
    assert subjects(today.upcoming) == subjects(tomorrow.today) == ["Tomorrow's call"]


def test_an_item_given_away_outside_the_app_leaves_the_day_at_once(
    rep_client, rep, other_rep, stage
):
    deal = make_opportunity(owner=rep, stage=stage)
    call = make_activity(opportunity=deal, owner=rep, subject="Call the buyer", due_date=day(0))
    assert "Call the buyer" in rep_client.get("/").content.decode()  # which items: cached

    # Reassigned in a shell or the admin site: no write through the services retires the
    # cached day, yet the rep must not see another team's activity.
    type(call).objects.filter(pk=call.pk).update(owner=other_rep, team=other_rep.team)

    assert "Call the buyer" not in rep_client.get("/").content.decode()


# Each section's "and N more" leads to the list of all its items.


def listed(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.num_pages == 1
    return sorted(item.pk for item in page)


def in_section(group, section: str) -> list[int]:
    return sorted(item.pk for item in getattr(group, section))


@pytest.fixture
def a_busy_week(rep, teammate, north, stage):
    """Something for every section of Alice's day, and near misses for each."""
    mine = make_opportunity(name="Mine", owner=rep, stage=stage)
    teams = make_opportunity(name="The team's", owner=None, team=north, stage=stage)
    bobs = make_opportunity(name="Bob's", owner=teammate, stage=stage)
    for number, due in enumerate([-3, -1, 0, 0, 2, 7]):
        make_activity(opportunity=mine, owner=rep, subject=f"Mine {number}", due_date=day(due))
    make_activity(opportunity=mine, owner=rep, subject="Too far", due_date=day(8))
    make_activity(
        opportunity=mine, owner=rep, subject="Done", due_date=day(-1), done_at=timezone.now()
    )
    make_activity(opportunity=teams, owner=teammate, subject="Bob's, seen", due_date=day(-1))
    make_activity(opportunity=bobs, owner=teammate, subject="Bob's own", due_date=day(0))

    old = start_of_day(day(-30))
    forgotten = make_opportunity(name="Forgotten", owner=rep, stage=stage)
    make_opportunity(name="Forgotten too", owner=None, team=north, stage=stage)
    make_opportunity(name="Won", owner=rep, stage=stage, status="won")
    dusty = make_opportunity(name="Dusty", owner=rep, stage=stage)
    make_activity(opportunity=dusty, owner=rep, due_date=day(1))
    late_and_dusty = make_opportunity(name="Late and dusty", owner=rep, stage=stage)
    make_activity(opportunity=late_and_dusty, owner=rep, due_date=day(-5))
    Opportunity.objects.filter(pk__in=[forgotten.pk, dusty.pk, late_and_dusty.pk]).update(
        created_at=old
    )

    make_lead(first_name="Fresh", owner=rep)
    make_lead(first_name="Team's", owner=None, team=north)
    touched = make_lead(first_name="Touched", owner=rep)
    make_activity(lead=touched, owner=rep, kind="note", due_date=None, done_at=timezone.now())
    make_lead(first_name="Working", owner=rep, status="working")
    make_lead(first_name="Bob's", owner=teammate)


def test_each_section_links_to_the_list_of_exactly_its_items(rep_client, rep, a_busy_week):
    [group] = build_day(rep).groups

    lists = {section: listed(rep_client, group.links[section]) for section in group.links}

    assert lists == {section: in_section(group, section) for section in group.links}
    assert {section: len(items) for section, items in lists.items()} == group.totals
    assert group.totals == {
        "overdue": 3,
        "today": 2,
        "upcoming": 3,
        "no_next_step": 2,
        "stale": 2,
        "new_leads": 2,
    }


def test_a_long_section_says_how_many_more_and_links_to_them_all(rep_client, rep, deal):
    for number in range(SECTION_SIZE + 2):
        make_activity(opportunity=deal, owner=rep, subject=f"Call {number:02d}", due_date=day(-1))
    [group] = build_day(rep).groups

    html = rep_client.get("/").content.decode()

    link = f'<a href="/activities/?due=overdue&amp;owner={rep.pk}">and 2 more</a>'
    assert link in html
    assert len(listed(rep_client, group.links["overdue"])) == group.totals["overdue"] == 12


def test_a_managers_sections_link_to_each_reps_items_and_the_unassigned_ones(
    manager_client, manager, rep, teammate, north, stage
):
    gone = make_user(username="gone", team=north, is_active=False)
    for owner in (rep, teammate, gone, None):
        for number in range(TEAM_SECTION_SIZE + 1):
            deal = make_opportunity(owner=owner, team=north, stage=stage)
            make_lead(owner=owner, team=north)
            if owner is not None:
                make_activity(opportunity=deal, owner=owner, due_date=day(-number - 1))
            make_opportunity(owner=owner, team=north, stage=stage)  # no next step
    groups = {str(group.rep): group for group in build_day(manager).groups}

    counted = {
        name: {section: len(listed(manager_client, url)) for section, url in group.links.items()}
        for name, group in groups.items()
    }

    assert counted == {name: group.totals for name, group in groups.items()}
    assert list(groups) == ["Alice Rep", "Bob Rep", "None"]
    # The unassigned part: nobody's, and the records of someone no longer active.
    assert groups["None"].totals["no_next_step"] == 3 * (TEAM_SECTION_SIZE + 1)
    assert groups["None"].totals["overdue"] == TEAM_SECTION_SIZE + 1


def test_an_admins_sections_link_to_their_own_items(admin_client, admin_user, rep, stage):
    mine = make_opportunity(owner=admin_user, stage=stage)
    make_activity(opportunity=mine, owner=admin_user, due_date=day(-1))
    make_opportunity(owner=admin_user, stage=stage)
    make_opportunity(owner=rep, stage=stage)  # someone else's: not on the admin's day
    make_lead(owner=admin_user)
    [group] = build_day(admin_user).groups

    lists = {section: listed(admin_client, url) for section, url in group.links.items()}

    assert lists == {section: in_section(group, section) for section in group.links}
    assert (group.totals["overdue"], group.totals["no_next_step"]) == (1, 1)
