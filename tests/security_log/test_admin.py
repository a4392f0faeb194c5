"""The security log in the admin: admins read it, filter and search it; nobody changes it."""

from django.db import models
from django.test import Client
from django.urls import reverse

from crm.models import SecurityEvent
from crm.security_log import Kind, record
from tests.factories import make_opportunity, make_user
from tests.security_log.conftest import events

LIST = reverse("admin:crm_securityevent_changelist")


def test_an_admin_reads_the_log_filtered_by_kind_and_searched_by_address(
    admin_client, rep, other_rep
):
    record(Kind.LOGIN_FAILED, username="alice")
    record(Kind.EXPORT, actor=rep, target="opportunities.csv", rows=3)

    by_kind = admin_client.get(LIST, {"kind__exact": Kind.EXPORT}).content.decode()
    by_actor = admin_client.get(LIST, {"actor__id__exact": rep.pk}).content.decode()
    by_name = admin_client.get(LIST, {"q": "alice"}).content.decode()

    assert "opportunities.csv" in by_kind and "Failed login" not in by_kind.split("<tbody>")[1]
    assert "opportunities.csv" in by_actor
    assert by_name.split("<tbody>")[1].count("<tr") == 2  # alice tried, and alice exported


def test_a_staff_manager_cannot_open_the_log_and_the_refusal_is_recorded(manager):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    browser = Client()
    browser.force_login(manager)
    SecurityEvent.objects.all().delete()

    response = browser.get(LIST)

    assert response.status_code == 403
    assert [(event.kind, event.actor, event.details["path"]) for event in events()] == [
        (Kind.ACCESS_DENIED, manager, LIST)
    ]


def test_nobody_adds_changes_or_deletes_an_event_in_the_admin(admin_client, admin_user):
    event = record(Kind.LOGIN, actor=admin_user)
    change = reverse("admin:crm_securityevent_change", args=[event.pk])

    page = admin_client.get(change).content.decode()
    added = admin_client.get(reverse("admin:crm_securityevent_add"))
    posted = admin_client.post(change, {"kind": Kind.LOGOUT})
    deleted = admin_client.post(
        reverse("admin:crm_securityevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert 'name="_save"' not in page and "Delete" not in page
    assert (added.status_code, posted.status_code, deleted.status_code) == (403, 403, 403)
    assert SecurityEvent.objects.get(pk=event.pk).kind == Kind.LOGIN


def test_an_event_is_never_changed_in_code_either(admin_user):
    event = record(Kind.LOGIN, actor=admin_user)

    for change in (lambda: event.save(), lambda: SecurityEvent.objects.update(kind="logout")):
        try:
            change()
        except (ValueError, TypeError):
            pass
        else:
            raise AssertionError("a security event was changed")
    assert SecurityEvent.objects.get().kind == Kind.LOGIN


def test_the_log_costs_the_same_queries_however_many_events_it_shows(admin_client, rep, stages):
    from tests.test_admin_lists import queries_of

    deal = make_opportunity(owner=rep, stage=stages[0])
    record(Kind.ACCESS_DENIED, actor=rep, target=deal)
    few = queries_of(admin_client, LIST)
    for number in range(4):
        record(Kind.ACCESS_DENIED, actor=make_user(), target=deal, path=f"/{number}/")
    more = queries_of(admin_client, LIST)

    assert len(more) == len(few)
    assert sum("COUNT(" in sql for sql in more) == 1


def test_the_log_is_indexed_by_date_and_by_kind_and_date():
    indexes = {tuple(index.fields) for index in SecurityEvent._meta.indexes}

    assert {("created_at",), ("kind", "created_at")} <= indexes
    assert isinstance(SecurityEvent._meta.get_field("created_at"), models.DateTimeField)


def test_a_deleted_users_events_stay_without_the_actor(rep):
    record(Kind.LOGIN, actor=rep)

    rep.delete()

    [login] = events(Kind.LOGIN)
    assert (login.actor, login.username) == (None, "alice")
