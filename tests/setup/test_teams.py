"""A manager changes who is in the teams they run, an admin who is in any team: a person in no
team is taken in, a member is taken out. Another team's people are out of a manager's reach."""

import pytest
from django.urls import reverse

from crm.models import User
from tests.factories import make_lead, make_team, make_user


def members_of(team) -> list[str]:
    return [user.username for user in team.members.order_by("username")]


def test_a_manager_sees_the_teams_they_run_and_an_admin_every_team(
    manager_client, admin_client, north, south
):
    managers = manager_client.get(reverse("setup:team_list")).context["teams"]
    admins = admin_client.get(reverse("setup:team_list")).context["teams"]

    assert [team.name for team in managers] == ["North"]
    assert [team.name for team in admins] == ["North", "South"]


@pytest.mark.parametrize("rows", [1, 3])
def test_the_team_list_counts_no_query_per_team(admin_client, rows, django_assert_num_queries):
    for number in range(rows):
        team = make_team(name=f"Team {number}", manager=make_user())
        make_user(team=team)

    # session, user, the teams with their manager and number of members
    with django_assert_num_queries(3):
        response = admin_client.get(reverse("setup:team_list"))

    assert [team.member_count for team in response.context["teams"]] == [1] * rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_team_page_counts_no_query_per_member(
    manager_client, north, rows, django_assert_num_queries
):
    for _number in range(rows):
        make_user(team=north)
    make_user(username="nora", first_name="Nora", last_name="New")

    # session, user, the team with its manager, its members, the people it may take in
    with django_assert_num_queries(5):
        response = manager_client.get(reverse("setup:team_detail", args=[north.pk]))

    assert len(response.context["members"]) == rows
    assert ">Nora New</option>" in response.text


def test_a_manager_takes_in_someone_in_no_team(manager_client, north, rep):
    nora = make_user(username="nora", first_name="Nora", last_name="New")

    response = manager_client.post(reverse("setup:member_add", args=[north.pk]), {"user": nora.pk})

    assert response["Location"] == reverse("setup:team_detail", args=[north.pk])
    assert members_of(north) == ["alice", "nora"]
    page = manager_client.get(response["Location"]).text
    assert "Nora New is now in the North team." in page


def test_someone_in_another_team_cannot_be_taken_in(manager_client, north, other_rep):
    response = manager_client.post(
        reverse("setup:member_add", args=[north.pk]), {"user": other_rep.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "user": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert User.objects.get(pk=other_rep.pk).team.name == "South"


def test_only_people_in_no_team_are_offered(manager_client, north, rep, other_rep, admin_user):
    nora = make_user(username="nora", first_name="Nora", last_name="New")
    make_user(username="gone", is_active=False)

    response = manager_client.get(reverse("setup:team_detail", args=[north.pk]))

    offered = [label for value, label in response.context["form"].fields["user"].choices if value]
    assert offered == ["Mia Manager", str(nora)]


def test_a_manager_takes_a_member_out_with_htmx(manager_client, north, rep, htmx_headers):
    url = reverse("setup:member_remove", args=[north.pk, rep.pk])

    response = manager_client.post(url, headers=htmx_headers)

    html = response.text
    assert html.startswith('\n<div id="members"')
    assert "Alice Rep is no longer in the North team." in html
    assert "Nobody is in this team yet." in html
    assert User.objects.get(pk=rep.pk).team is None


def test_only_a_member_can_be_taken_out(manager_client, north, other_rep):
    url = reverse("setup:member_remove", args=[north.pk, other_rep.pk])

    response = manager_client.post(url)

    assert response.status_code == 404
    assert User.objects.get(pk=other_rep.pk).team.name == "South"


def test_an_admin_changes_any_team(admin_client, south, other_rep):
    nora = make_user(username="nora")

    admin_client.post(reverse("setup:member_remove", args=[south.pk, other_rep.pk]))
    admin_client.post(reverse("setup:member_add", args=[south.pk]), {"user": nora.pk})

    assert members_of(south) == ["nora"]


def test_a_manager_who_took_someone_in_sees_their_records(manager_client, north, manager):
    nora = make_user(username="nora")
    lead = make_lead(last_name="Noras lead", owner=nora)
    before = manager_client.get(reverse("leads:detail", args=[lead.pk])).status_code

    manager_client.post(reverse("setup:member_add", args=[north.pk]), {"user": nora.pk})

    assert before == 404
    assert manager_client.get(reverse("leads:detail", args=[lead.pk])).status_code == 200
