"""The settings are for managers and admins. Every settings address, walked from the URLconf so
that a new one is covered as soon as it exists: a rep gets a 404 whatever the method, as for a
record they may not see; a manager and an admin open every page; another team's manager finds
no team of ours."""

import pytest
from django.urls import reverse

from crm.models import Team
from tests.factories import make_lost_reason, make_opportunity
from tests.url_walk import fill, routes

SETTINGS = [(name, route) for name, route in routes() if name.startswith("setup:")]
# The addresses that only take a POST (an action); every other one is a page.
ACTIONS = {
    "setup:stage_reorder",
    "setup:stage_move",
    "setup:stage_move_deals",
    "setup:item_active",
    "setup:member_add",
    "setup:member_remove",
}
PAGES = {name for name, _route in SETTINGS} - ACTIONS


@pytest.fixture
def sample(rep, north, stages):
    """What the settings addresses name: a stage, its pipeline, a lost reason, North and alice."""
    return {
        "stage": stages[0],
        "opportunity": make_opportunity(owner=rep, stage=stages[0]),
        "lost_reason": make_lost_reason(name="Went quiet"),
        "team": north,
    }


def paths(sample, names=None):
    return [
        (name, url.path)
        for name, route in SETTINGS
        if names is None or name in names
        for url in fill(name, route, sample)
    ]


def test_the_walk_covers_every_settings_address():
    assert {name for name, _route in SETTINGS} > ACTIONS
    assert "setup:index" in PAGES


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_rep_finds_no_settings_address(rep_client, sample, method, htmx_headers):
    before = list(sample["stage"].pipeline.stages.values_list("pk", "name", "order"))

    answers = {
        path: getattr(rep_client, method)(path, headers=headers).status_code
        for _name, path in paths(sample)
        for headers in ({}, htmx_headers)
    }

    assert set(answers.values()) == {404}
    assert list(sample["stage"].pipeline.stages.values_list("pk", "name", "order")) == before


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_and_admins_open_every_settings_page(manager_client, admin_client, sample, who):
    client = {"manager": manager_client, "admin": admin_client}[who]

    answers = {path: client.get(path).status_code for _name, path in paths(sample, PAGES)}

    assert len(answers) == len(PAGES)
    assert set(answers.values()) == {200}


def test_an_action_refuses_a_get_and_a_page_refuses_a_put(manager_client, sample):
    actions = {path: manager_client.get(path).status_code for _n, path in paths(sample, ACTIONS)}
    pages = {path: manager_client.put(path).status_code for _n, path in paths(sample, PAGES)}

    assert set(actions.values()) == {405}
    assert set(pages.values()) == {405}


def test_another_teams_manager_finds_no_team_of_ours(client, south_manager, sample, rep):
    client.force_login(south_manager)
    page = reverse("setup:team_detail", args=[sample["team"].pk])
    add = reverse("setup:member_add", args=[sample["team"].pk])
    remove = reverse("setup:member_remove", args=[sample["team"].pk, rep.pk])

    answers = [
        client.get(page).status_code,
        client.post(add, {"user": rep.pk}).status_code,
        client.post(remove).status_code,
    ]

    assert answers == [404, 404, 404]
    assert list(Team.objects.get(pk=sample["team"].pk).members.all()) == [rep]


def test_the_settings_are_in_the_menu_of_managers_and_admins_only(
    rep_client, manager_client, admin_client
):
    link = f'href="{reverse("setup:index")}">Settings</a>'

    shown = {
        who: link in client.get(reverse("home")).text
        for who, client in [
            ("rep", rep_client),
            ("manager", manager_client),
            ("admin", admin_client),
        ]
    }

    assert shown == {"rep": False, "manager": True, "admin": True}
