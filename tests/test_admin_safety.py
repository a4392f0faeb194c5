"""The admin for staff who are not superusers: mia, North's manager, made staff and given every
permission there is. She still sees and picks only what the app lets her, and cannot raise
anyone's rights, her own included."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.forms import ModelChoiceField
from django.test import Client
from django.urls import reverse

from crm.models import Team, User
from leads.models import LeadStatusChange
from tests.factories import make_user
from tests.url_walk import records

MARKER = "SOUTHSECRET"


@pytest.fixture
def staff_manager(manager):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=manager.pk)  # without the cached permissions


@pytest.fixture
def staff_client(staff_manager):
    client = Client()
    client.force_login(staff_manager)
    return client


@pytest.fixture
def south_records(other_rep, south):
    south_manager = make_user(username="sam", role=User.Role.MANAGER)
    south.manager = south_manager
    south.name = f"South {MARKER}"  # a filter listing every team would show it
    south.save(update_fields=["manager", "name"])
    sample = records(owner=other_rep, manager=south_manager, marker=MARKER)
    LeadStatusChange.objects.create(lead=sample["lead"], to_status="new", note=MARKER)
    return sample


@pytest.fixture
def north_records(rep, manager):
    return records(owner=rep, manager=manager, marker="North")


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


# --- Users: rights stay where a superuser put them ---------------------------------------


def user_form(user, **overrides) -> dict:
    """The user change form as the admin posts it, for ``user`` as stored."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "team": user.team_id or "",
        "language": user.language,
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.date().isoformat(),
        "date_joined_1": user.date_joined.time().strftime("%H:%M:%S"),
    }
    return data | overrides


ESCALATION = {
    "role": User.Role.ADMIN,
    "is_superuser": "on",
    "is_staff": "on",
    "groups": "",  # replaced by a real group in the tests
    "user_permissions": "",
}


def rights(user) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.role,
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        user.user_permissions.count(),
    )


@pytest.mark.parametrize("whom", ["herself", "a rep of her team"])
def test_a_staff_manager_cannot_change_anyones_rights(staff_client, staff_manager, rep, whom):
    target = staff_manager if whom == "herself" else rep
    admins = Group.objects.create(name="Admins")
    admins.permissions.set(Permission.objects.all())
    before = rights(target)
    escalation = ESCALATION | {
        "groups": admins.pk,
        "user_permissions": Permission.objects.get(codename="delete_user").pk,
    }

    response = staff_client.post(
        change_url(target), user_form(target, first_name="Renamed") | escalation
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=target.pk).first_name == "Renamed"
    assert rights(target) == before


def test_the_rights_are_shown_read_only_to_a_staff_manager(staff_client, rep):
    html = staff_client.get(change_url(rep)).content.decode()

    for name in ("role", "is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{name}"' not in html
    assert 'name="first_name"' in html


def test_a_superuser_still_changes_rights(admin_client, rep):
    response = admin_client.post(
        change_url(rep), user_form(rep) | {"role": User.Role.MANAGER, "is_staff": "on"}
    )

    assert response.status_code == 302
    rep.refresh_from_db()
    assert (rep.role, rep.is_staff) == (User.Role.MANAGER, True)


def test_a_user_added_by_a_staff_manager_is_a_plain_rep(staff_client, north):
    response = staff_client.post(
        reverse("admin:crm_user_add"),
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
            "first_name": "New",
            "last_name": "Bie",
            "email": "newbie@example.com",
            "team": north.pk,
        }
        | {"role": User.Role.ADMIN, "is_superuser": "on", "is_staff": "on"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    newbie = User.objects.get(username="newbie")
    assert (newbie.role, newbie.is_superuser, newbie.is_staff) == (User.Role.REP, False, False)
    assert newbie.team == north


def test_a_staff_manager_cannot_move_a_rep_to_another_team(staff_client, rep, south):
    response = staff_client.post(change_url(rep), user_form(rep, team=south.pk))

    assert "Select a valid choice" in response.content.decode()
    rep.refresh_from_db()
    assert rep.team.name == "North"


def test_a_superusers_account_is_out_of_a_staff_managers_reach(staff_client, admin_user, north):
    admin_user.team = north
    admin_user.save(update_fields=["team"])
    password_url = reverse("admin:auth_user_password_change", args=[admin_user.pk])

    change = staff_client.get(change_url(admin_user))
    password = staff_client.post(
        password_url, {"password1": "taken-over-123", "password2": "taken-over-123"}
    )
    listing = staff_client.get(reverse("admin:crm_user_changelist"))

    assert change.status_code == 302  # "does not exist", back to the admin index
    assert password.status_code == 404
    assert "Ada Admin" not in [str(user) for user in listing.context["cl"].result_list]
    assert User.objects.get(pk=admin_user.pk).check_password("secret-pass-123")


def test_a_staff_manager_cannot_grant_permissions_through_a_group(staff_client, staff_manager):
    group = Group.objects.create(name="Sales")
    staff_manager.groups.add(group)
    delete_users = Permission.objects.get(codename="delete_user")

    staff_client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Sales team", "permissions": [delete_users.pk]},
    )

    group.refresh_from_db()
    assert (group.name, group.permissions.count()) == ("Sales team", 0)


def test_task_results_are_for_superusers_only(staff_client, admin_client):
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")

    assert staff_client.get(url).status_code == 403
    assert admin_client.get(url).status_code == 200


# --- Every admin: scoped lists, pages and choices -----------------------------------------


def team_records(sample: dict) -> dict:
    """Model → South's record of it (stages, lost reasons and email templates are shared by
    every team)."""
    shared = {"stage", "lost_reason", "email_template"}
    return {type(record): record for key, record in sample.items() if key not in shared}


ADMINS = sorted(
    (model._meta.label for model in admin.site._registry),
)


def admin_of(label: str):
    return next(
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.label == label
    )


@pytest.mark.parametrize("label", ADMINS)
def test_no_admin_list_shows_another_teams_records(staff_client, south_records, label):
    model = admin_of(label).model
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = staff_client.get(url)

    assert response.status_code in (200, 403)
    assert MARKER not in response.content.decode()


@pytest.mark.parametrize("label", ADMINS)
def test_no_admin_opens_another_teams_record(staff_client, south_records, other_rep, label):
    model = admin_of(label).model
    theirs = team_records(south_records) | {User: other_rep}
    if model not in theirs:
        pytest.skip("shared reference data: no team's record")

    response = staff_client.get(change_url(theirs[model]))

    # The admin's "does not exist" answer: back to its index, with nothing of the record.
    assert response.status_code == 302
    assert MARKER not in staff_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("label", ADMINS)
def test_no_admin_form_accepts_another_teams_records(
    rf, staff_manager, south_records, north_records, other_rep, south, label
):
    model_admin = admin_of(label)
    request = rf.get("/admin/")
    request.user = staff_manager
    if not model_admin.has_add_permission(request) and not model_admin.has_change_permission(
        request
    ):
        pytest.skip("read-only: its form never saves")
    instance = next((r for r in north_records.values() if type(r) is model_admin.model), None)
    theirs = team_records(south_records) | {User: other_rep, Team: south}

    form = model_admin.get_form(request, instance)
    offered = {
        name: field.queryset
        for name, field in form.base_fields.items()
        if isinstance(field, ModelChoiceField) and field.queryset.model in theirs
    }

    leaks = {
        name: queryset.model.__name__
        for name, queryset in offered.items()
        if queryset.filter(pk=theirs[queryset.model].pk).exists()
    }
    assert leaks == {}
