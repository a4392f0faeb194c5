"""What the security log holds after a working day: each thing that happened leaves exactly
one row, saying who did it, from where, and to what."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from crm.models import SecurityEvent, User
from tests.factories import make_opportunity
from tests.security_log.conftest import (
    ALICE_ADDRESS,
    CHARLIE_ADDRESS,
    PASSWORD,
    events,
)

Kind = SecurityEvent.Kind
LOGIN = reverse("login")


def test_a_failed_login_is_recorded_with_the_name_tried_and_the_address(rep):
    browser = Client(REMOTE_ADDR=ALICE_ADDRESS)

    browser.post(LOGIN, {"username": "alice", "password": "not-her-password"})

    [failed] = events()
    assert (failed.kind, failed.actor, failed.username) == (Kind.LOGIN_FAILED, None, "alice")
    assert failed.ip_address == ALICE_ADDRESS
    assert "not-her-password" not in str(failed.details)


def test_a_lockout_is_recorded_once_after_the_failures_that_caused_it(rep, settings):
    settings.LOGIN_LOCK_ATTEMPTS = 3
    browser = Client(REMOTE_ADDR=ALICE_ADDRESS)

    for _attempt in range(3):
        browser.post(LOGIN, {"username": "alice", "password": "wrong"})

    # The third failure locks the account (inside the check of the password), then fails.
    assert [event.kind for event in events()] == [
        Kind.LOGIN_FAILED,
        Kind.LOGIN_FAILED,
        Kind.LOCKOUT,
        Kind.LOGIN_FAILED,
    ]
    lockout = events(Kind.LOCKOUT)[0]
    assert (lockout.username, lockout.ip_address) == ("alice", ALICE_ADDRESS)
    assert lockout.details == {"whole_address": False, "attempts": 3}


def test_a_login_and_a_logout_are_recorded_for_the_user(rep):
    browser = Client(REMOTE_ADDR=ALICE_ADDRESS)

    browser.post(LOGIN, {"username": "alice", "password": PASSWORD})
    browser.post(reverse("logout"))

    login, logout = events()
    assert (login.kind, login.actor, login.ip_address) == (Kind.LOGIN, rep, ALICE_ADDRESS)
    assert (logout.kind, logout.actor, logout.ip_address) == (Kind.LOGOUT, rep, ALICE_ADDRESS)
    assert login.request_id and login.request_id != logout.request_id


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("opportunities:export", "opportunities.csv"),
        ("opportunities:export_xlsx", "opportunities.xlsx"),
    ],
)
def test_an_export_records_who_took_how_many_rows_with_which_filters(
    alice_browser, fresh_log, rep, stages, url, what
):
    for number in range(4):
        make_opportunity(name=f"Deal {number}", owner=rep, stage=stages[0])
    fresh_log()

    response = alice_browser.get(reverse(url), {"q": "Deal"})
    b"".join(response.streaming_content)  # the download, read to its end as a browser does

    [export] = events()
    assert (export.kind, export.actor, export.ip_address) == (Kind.EXPORT, rep, ALICE_ADDRESS)
    assert export.target_text == what
    assert export.details == {"rows": 4, "filters": "q=Deal", "complete": True}


def test_opening_another_teams_deal_is_a_404_recorded_as_a_refused_access(
    charlie_browser, fresh_log, other_rep, alices_deal
):
    fresh_log()

    response = charlie_browser.get(reverse("opportunities:detail", args=[alices_deal.pk]))

    assert response.status_code == 404
    assert "Acme renewal" not in response.content.decode()
    [denied] = events()
    assert (denied.kind, denied.actor, denied.ip_address) == (
        Kind.ACCESS_DENIED,
        other_rep,
        CHARLIE_ADDRESS,
    )
    assert (denied.target_type, denied.target_id, denied.target_text) == (
        ContentType.objects.get_for_model(alices_deal),
        str(alices_deal.pk),
        "Acme renewal",
    )


def test_a_deal_that_does_not_exist_is_a_plain_404_and_no_event(charlie_browser, fresh_log):
    fresh_log()

    response = charlie_browser.get(reverse("opportunities:detail", args=[987654]))

    assert response.status_code == 404
    assert events() == []


def test_another_teams_deal_through_the_api_is_recorded_too(
    api_client, other_rep, alices_deal, fresh_log
):
    client = api_client(other_rep, scope="read")
    fresh_log()

    response = client.get(f"/api/v1/opportunities/{alices_deal.pk}/")

    assert response.status_code == 404
    assert [(e.kind, e.actor, e.target_id) for e in events()] == [
        (Kind.TOKEN_USED, other_rep, str(ApiToken.objects.get().pk)),
        (Kind.ACCESS_DENIED, other_rep, str(alices_deal.pk)),
    ]


def test_a_role_change_by_an_admin_records_what_changed(admin_client, admin_user, rep, fresh_log):
    from tests.test_admin_safety import change_url, user_form

    fresh_log()

    response = admin_client.post(
        change_url(rep), user_form(rep) | {"role": User.Role.MANAGER, "is_staff": "on"}
    )

    assert response.status_code == 302
    [change] = events()
    assert (change.kind, change.actor, change.target_id) == (
        Kind.RIGHTS_CHANGED,
        admin_user,
        str(rep.pk),
    )
    assert change.details == {
        "created": False,
        "changes": {"role": ["rep", "manager"], "is_staff": [False, True]},
    }


def test_a_token_made_and_revoked_on_the_profile_leaves_one_row_each(alice_browser, rep, fresh_log):
    fresh_log()

    alice_browser.post(reverse("api:tokens"), {"name": "Laptop", "scope": "read"})
    token = ApiToken.objects.get()
    alice_browser.post(reverse("api:token_revoke", args=[token.pk]))

    created, revoked = events()
    for event, kind in [(created, Kind.TOKEN_CREATED), (revoked, Kind.TOKEN_REVOKED)]:
        assert (event.kind, event.actor, event.ip_address) == (kind, rep, ALICE_ADDRESS)
        assert (event.target_id, event.target_text) == (str(token.pk), str(token))
    assert created.details == {"scope": "read", "prefix": token.prefix}


def test_a_token_used_all_day_is_recorded_at_its_first_use_only(api_client, rep, fresh_log):
    client = api_client(rep, scope="read")
    fresh_log()

    for _request in range(3):
        assert client.get("/api/v1/companies/").status_code == 200

    [used] = events()
    assert (used.kind, used.actor) == (Kind.TOKEN_USED, rep)


def test_a_forwarded_address_that_is_none_is_left_out_not_refused(rep, settings):
    settings.TRUSTED_PROXIES = 1
    browser = Client(REMOTE_ADDR="10.0.0.1", headers={"X-Forwarded-For": "unknown"})

    response = browser.post(LOGIN, {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
    [failed] = events()
    assert (failed.kind, failed.ip_address) == (Kind.LOGIN_FAILED, None)
