"""The list of activities to do, and its filters (what My day's sections link to)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_activity, make_lead, make_opportunity, make_user

LIST = reverse("activities:list")


def day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def subjects(response) -> list[str]:
    return [activity.subject for activity in response.context["page_obj"]]


def test_list_shows_the_pending_activities_the_user_sees_by_due_date(
    rep_client, rep, teammate, north, deal, other_deal, other_rep
):
    make_activity(opportunity=deal, owner=rep, subject="Later", due_date=day(3))
    make_activity(opportunity=deal, owner=rep, subject="Sooner", due_date=day(-1))
    make_activity(opportunity=deal, owner=rep, subject="Done", done_at=timezone.now())
    make_activity(opportunity=deal, owner=rep, kind="note", subject="A note", due_date=None)
    make_activity(lead=make_lead(owner=None, team=north), owner=teammate, subject="Team's lead")
    make_activity(opportunity=other_deal, owner=other_rep, subject="Southern call")

    response = rep_client.get(LIST)

    assert subjects(response) == ["Sooner", "Team's lead", "Later"]
    assert "Southern call" not in response.content.decode()


def test_list_filters_by_when_it_is_due_and_whose_it_is(rep_client, rep, teammate, deal):
    for due in [-2, 0, 1, 7, 8]:
        make_activity(opportunity=deal, owner=rep, subject=f"Day {due}", due_date=day(due))
    make_activity(opportunity=deal, owner=teammate, subject="Bob's", due_date=day(-1))

    def listed(**filters):
        return subjects(rep_client.get(LIST, {"owner": rep.pk, **filters}))

    assert listed(due="overdue") == ["Day -2"]
    assert listed(due="today") == ["Day 0"]
    assert listed(due="week") == ["Day 1", "Day 7"]
    assert listed() == ["Day -2", "Day 0", "Day 1", "Day 7", "Day 8"]


def test_list_filters_the_activities_nobody_here_owns(manager_client, rep, north, stage):
    gone = make_user(username="gone", team=north, is_active=False)
    deal = make_opportunity(owner=gone, stage=stage)
    make_activity(opportunity=deal, owner=gone, subject="Left behind")
    make_activity(opportunity=deal, owner=rep, subject="Alice's")

    response = manager_client.get(LIST, {"unassigned": "on"})

    assert subjects(response) == ["Left behind"]


def test_list_row_links_to_its_record_and_to_marking_it_done(rep_client, rep, deal):
    call = make_activity(opportunity=deal, owner=rep, kind="call", subject="Call Pat")

    html = rep_client.get(LIST, {"due": "today"}).content.decode()

    row = html.split(f'data-activity="{call.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f'<a href="{deal.get_absolute_url()}">Acme renewal</a>' in row
    assert f'href="/activities/{call.pk}/complete/?next=/activities/%3Fdue%3Dtoday"' in row


def test_list_with_htmx_is_the_table_alone(rep_client, rep, deal, htmx_headers):
    make_activity(opportunity=deal, owner=rep, subject="Call Pat")

    html = rep_client.get(LIST, headers=htmx_headers).content.decode()

    assert html.lstrip().startswith('<div id="activity-list" data-list')
    assert "Call Pat" in html


def test_list_needs_a_login(client, db):
    assert client.get(LIST).url == f"/accounts/login/?next={LIST}"


def test_list_refuses_post(rep_client, db):
    assert rep_client.post(LIST).status_code == 405


@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count_does_not_grow(rep_client, rep, deal, rows, django_assert_num_queries):
    for number in range(rows):
        make_activity(opportunity=deal, owner=rep, due_date=day(-1))
        make_activity(lead=make_lead(owner=rep), owner=rep, due_date=day(-number - 1))

    # session, user, the owner filter's check, the count, the page of activities (with their
    # owners and records joined), the user's team (menu), the owner filter's choices.
    with django_assert_num_queries(7):
        response = rep_client.get(LIST, {"owner": rep.pk, "due": "overdue"})

    assert len(subjects(response)) == 2 * rows
