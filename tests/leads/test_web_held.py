"""Managers review the web-form messages held as spam: release one into a lead, or purge it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import Lead, WebSubmission
from tests.factories import make_user, make_web_submission

URL = reverse("leads:web_held")


def release_url(submission) -> str:
    return reverse("leads:web_release", args=[submission.pk])


def purge_url(submission) -> str:
    return reverse("leads:web_purge", args=[submission.pk])


@pytest.fixture
def held(web_team):
    return make_web_submission(
        name="Grace Hopper",
        email="grace@navy.example",
        phone="+34612345678",
        company="Navy",
        message="Call me\nabout compilers.",
        team=web_team,
    )


@pytest.fixture
def south_held(south):
    return make_web_submission(name="Southern Sender", team=south)


def names(response) -> list[str]:
    return [submission.name for submission in response.context["submissions"]]


# --- the list ------------------------------------------------------------------------------


def test_a_manager_sees_their_teams_held_messages_newest_first(
    manager_client, web_team, south_held
):
    now = timezone.now()
    make_web_submission(name="Older", team=web_team, received_at=now - datetime.timedelta(1))
    make_web_submission(
        name="Newer",
        team=web_team,
        received_at=now,
        reason=WebSubmission.Reason.HONEYPOT,
        address="198.51.100.3",
    )
    make_web_submission(name="Done", team=web_team, status=WebSubmission.Status.RELEASED)

    response = manager_client.get(URL)

    body = response.content.decode()
    assert names(response) == ["Newer", "Older"]
    assert "Hidden field filled in" in body
    assert "Sent too fast" in body
    assert "198.51.100.3" in body
    assert "Southern Sender" not in body
    assert "Done" not in body


def test_an_admin_sees_every_teams_held_messages(admin_client, held, south_held):
    response = admin_client.get(URL)

    assert names(response) == ["Southern Sender", "Grace Hopper"]


def test_a_message_with_no_team_is_for_admins_only(admin_client, manager_client, db):
    make_web_submission(name="Nobody's", team=None)

    assert names(admin_client.get(URL)) == ["Nobody's"]
    assert names(manager_client.get(URL)) == []


def test_a_row_shows_what_was_sent(manager_client, held):
    body = manager_client.get(URL).content.decode()

    for shown in ("Grace Hopper", "grace@navy.example", "+34612345678", "Navy", "about compilers"):
        assert shown in body
    assert f'action="{release_url(held)}"' in body
    assert f'action="{purge_url(held)}"' in body


def test_the_list_is_empty_when_nothing_is_held(manager_client, web_team):
    body = manager_client.get(URL).content.decode()

    assert "No held messages." in body
    assert "Purge all shown" not in body


def test_the_list_pages_by_25(manager_client, web_team):
    for number in range(27):
        make_web_submission(name=f"Sender {number:02}", team=web_team)

    response = manager_client.get(URL, {"page": 2})

    assert len(response.context["submissions"]) == 2
    assert "Page 2 of 2" in response.content.decode()


def test_htmx_gets_the_list_only(manager_client, held, htmx_headers):
    response = manager_client.get(URL, headers=htmx_headers)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="held-list"')
    assert "Grace Hopper" in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_a_rep_has_no_review_list(rep_client, held):
    response = rep_client.get(URL)

    assert response.status_code == 404
    assert "Grace Hopper" not in response.content.decode()


def test_the_list_wrong_method_is_405(manager_client, held):
    assert manager_client.post(URL).status_code == 405
    assert WebSubmission.objects.get().status == "held"


def test_the_list_needs_a_login(client, held):
    response = client.get(URL)

    assert response["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.parametrize("rows", [1, 3])
def test_the_list_query_count_does_not_grow(
    manager_client, web_team, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_web_submission(team=web_team)
    # session, user, the count, the page of messages (with their team joined)
    with django_assert_num_queries(4):
        response = manager_client.get(URL)
    assert len(response.context["submissions"]) == rows


# --- the link from the leads list -----------------------------------------------------------


def test_the_leads_list_links_managers_to_the_held_messages_with_their_number(
    manager_client, held, south_held
):
    make_web_submission(team=held.team, status=WebSubmission.Status.RELEASED)

    body = manager_client.get(reverse("leads:list")).content.decode()

    assert f'href="{URL}"' in body
    assert "data-held-count>1</span>" in body


def test_the_leads_list_shows_admins_every_teams_number(admin_client, held, south_held):
    body = admin_client.get(reverse("leads:list")).content.decode()

    assert "data-held-count>2</span>" in body


def test_reps_get_no_link_to_the_held_messages(rep_client, held):
    body = rep_client.get(reverse("leads:list")).content.decode()

    assert URL not in body
    assert "Held web messages" not in body


# --- release -------------------------------------------------------------------------------


def test_release_makes_the_lead_the_form_would_have_made(
    manager_client, manager, held, rep, web_source
):
    response = manager_client.post(release_url(held))

    assert response["Location"] == URL
    lead = Lead.objects.get()
    assert (lead.first_name, lead.last_name, lead.email, lead.phone, lead.company_name) == (
        "Grace",
        "Hopper",
        "grace@navy.example",
        "+34612345678",
        "Navy",
    )
    assert (lead.source.code, lead.status, lead.team, lead.owner) == ("web", "new", held.team, rep)
    assert lead.notes == "Call me\nabout compilers."
    held.refresh_from_db()
    assert (held.status, held.lead, held.reviewed_by) == ("released", lead, manager)
    assert held.reviewed_at is not None
    assert "Grace Hopper is now a lead." in manager_client.get(URL).content.decode()


def test_a_released_message_takes_its_turn_in_the_round_robin(
    manager_client, web_team, rep, teammate, held
):
    services.create_web_lead(
        name="First One",
        email="first@x.example",
        phone="",
        company_name="",
        message="",
        team_name=web_team.name,
    )

    manager_client.post(release_url(held))

    owners = list(Lead.objects.order_by("pk").values_list("email", "owner"))
    assert owners == [("first@x.example", rep.pk), ("grace@navy.example", teammate.pk)]


def test_release_over_htmx_answers_with_the_updated_row(manager_client, held, htmx_headers):
    response = manager_client.post(release_url(held), headers=htmx_headers)

    body = response.content.decode()
    lead = Lead.objects.get()
    assert body.lstrip().startswith(f'<tr id="held-{held.pk}">')
    assert f'<a href="{lead.get_absolute_url()}">Grace Hopper</a>' in body
    assert "Released" in body
    assert f'action="{release_url(held)}"' not in body
    toasts = body.split('<div hx-swap-oob="beforeend:#messages">', 1)[1]
    assert "Grace Hopper is now a lead." in toasts


def test_releasing_twice_makes_one_lead(manager_client, held, htmx_headers):
    manager_client.post(release_url(held), headers=htmx_headers)

    again = manager_client.post(release_url(held), headers=htmx_headers)

    lead = Lead.objects.get()
    assert WebSubmission.objects.get().lead == lead
    assert f'<a href="{lead.get_absolute_url()}">Grace Hopper</a>' in again.content.decode()


def test_release_wrong_method_is_405(manager_client, held):
    assert manager_client.get(release_url(held)).status_code == 405
    assert Lead.objects.count() == 0


def test_a_rep_cannot_release(rep_client, held):
    response = rep_client.post(release_url(held))

    assert response.status_code == 404
    assert (Lead.objects.count(), WebSubmission.objects.get().status) == (0, "held")


def test_another_teams_message_cannot_be_released(manager_client, south_held):
    response = manager_client.post(release_url(south_held))

    assert response.status_code == 404
    assert (Lead.objects.count(), WebSubmission.objects.get().status) == (0, "held")


def test_an_admin_releases_a_message_with_no_team_as_an_unowned_lead(admin_client, db):
    nobodys = make_web_submission(name="Lone Sender", team=None)

    admin_client.post(release_url(nobodys))

    lead = Lead.objects.get()
    assert (lead.last_name, lead.owner, lead.team) == ("Sender", None, None)


# --- purge ---------------------------------------------------------------------------------


def test_purge_deletes_the_message(manager_client, held):
    response = manager_client.post(purge_url(held))

    assert response["Location"] == URL
    assert WebSubmission.objects.count() == 0
    assert Lead.objects.count() == 0
    assert "The message from Grace Hopper was deleted." in manager_client.get(URL).content.decode()


def test_purge_over_htmx_answers_with_the_row_marked_deleted(manager_client, held, htmx_headers):
    response = manager_client.post(purge_url(held), headers=htmx_headers)

    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="held-{held.pk}">')
    assert "Deleted" in body
    assert "The message from Grace Hopper was deleted." in body
    assert f'action="{purge_url(held)}"' not in body
    assert WebSubmission.objects.count() == 0


def test_a_released_message_is_not_purged(manager_client, held):
    manager_client.post(release_url(held))

    manager_client.post(purge_url(held))

    assert WebSubmission.objects.get().status == "released"
    assert "A released message is kept with its lead." in manager_client.get(URL).content.decode()


def test_purge_wrong_method_is_405(manager_client, held):
    assert manager_client.get(purge_url(held)).status_code == 405
    assert WebSubmission.objects.count() == 1


def test_a_rep_cannot_purge(rep_client, held):
    assert rep_client.post(purge_url(held)).status_code == 404
    assert WebSubmission.objects.count() == 1


def test_another_teams_message_cannot_be_purged(manager_client, south_held):
    assert manager_client.post(purge_url(south_held)).status_code == 404
    assert WebSubmission.objects.count() == 1


def test_purge_all_shown_deletes_the_shown_held_messages_only(manager_client, web_team, south_held):
    shown = [make_web_submission(team=web_team) for _ in range(2)]
    make_web_submission(name="Arrived since", team=web_team)
    released = make_web_submission(
        name="Released one", team=web_team, status=WebSubmission.Status.RELEASED
    )
    posted = [s.pk for s in [*shown, released, south_held]] + ["nonsense", "²"]

    response = manager_client.post(reverse("leads:web_purge_shown"), {"submissions": posted})

    assert response["Location"] == URL
    assert sorted(WebSubmission.objects.values_list("name", flat=True)) == [
        "Arrived since",
        "Released one",
        "Southern Sender",
    ]
    assert "2 messages deleted." in manager_client.get(URL).content.decode()


def test_purge_all_shown_over_htmx_refreshes_the_page(manager_client, held, htmx_headers):
    response = manager_client.post(
        reverse("leads:web_purge_shown"), {"submissions": [held.pk]}, headers=htmx_headers
    )

    assert response["HX-Refresh"] == "true"
    assert WebSubmission.objects.count() == 0


def test_a_rep_cannot_purge_all_shown(rep_client, held):
    assert (
        rep_client.post(reverse("leads:web_purge_shown"), {"submissions": [held.pk]}).status_code
        == 404
    )
    assert WebSubmission.objects.count() == 1


def test_purge_all_shown_wrong_method_is_405(manager_client, held):
    assert manager_client.get(reverse("leads:web_purge_shown")).status_code == 405


def test_a_manager_of_two_teams_reviews_both(client_for, web_team, south, held, south_held):
    boss = make_user(username="boss", role="manager")
    web_team.manager = boss
    web_team.save(update_fields=["manager"])
    south.manager = boss
    south.save(update_fields=["manager"])

    assert names(client_for(boss).get(URL)) == ["Southern Sender", "Grace Hopper"]
