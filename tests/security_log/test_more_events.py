"""The rest of the story: passwords, teams, groups, merges, imports and the 403s."""

from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from crm.models import SecurityEvent
from leads import importing
from leads.models import LeadImport
from merging.services import merge_records
from setup import services as setup_services
from tests.factories import make_company, make_user
from tests.leads.test_import import GOOD_CSV, upload
from tests.security_log.conftest import ALICE_ADDRESS, PASSWORD, events

Kind = SecurityEvent.Kind


def test_a_password_change_is_recorded_for_its_user(alice_browser, rep, fresh_log):
    fresh_log()

    response = alice_browser.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-2027",
            "new_password2": "a-new-long-pass-2027",
        },
    )

    assert response.status_code == 302
    [changed] = events()
    assert (changed.kind, changed.actor, changed.target_id, changed.ip_address) == (
        Kind.PASSWORD_CHANGED,
        rep,
        str(rep.pk),
        ALICE_ADDRESS,
    )


def test_a_password_reset_is_recorded_when_asked_for_and_when_done(rep):
    browser = Client(REMOTE_ADDR=ALICE_ADDRESS)

    browser.post(reverse("password_reset"), {"email": rep.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line).strip()
    form = browser.get(browser.get(link).url)
    assert form.status_code == 200
    browser.post(
        form.request["PATH_INFO"],
        {"new_password1": "another-long-pass-2027", "new_password2": "another-long-pass-2027"},
    )

    asked, done = events()
    assert (asked.kind, asked.actor, asked.details) == (
        Kind.PASSWORD_RESET_REQUESTED,
        None,
        {"email": rep.email},
    )
    assert (done.kind, done.actor, done.ip_address) == (Kind.PASSWORD_RESET, rep, ALICE_ADDRESS)


def test_a_manager_taking_someone_into_the_team_is_recorded(manager, north, fresh_log):
    newcomer = make_user(username="nadia")
    fresh_log()

    setup_services.add_member(north, user=newcomer, by=manager)
    setup_services.remove_member(north, user=newcomer, by=manager)

    added, removed = events()
    assert (added.kind, added.actor, added.target_id) == (
        Kind.RIGHTS_CHANGED,
        manager,
        str(newcomer.pk),
    )
    assert (added.details, removed.details) == (
        {"changes": {"team": [None, north.pk]}},
        {"changes": {"team": [north.pk, None]}},
    )


def test_groups_given_outside_the_admin_are_recorded(rep, fresh_log):
    group = Group.objects.create(name="Auditors")
    fresh_log()

    rep.groups.add(group)

    [given] = events()
    assert (given.kind, given.target_id, given.details) == (
        Kind.RIGHTS_CHANGED,
        str(rep.pk),
        {"field": "groups", "action": "add", "ids": [group.pk]},
    )


def test_a_merge_is_recorded_with_what_went_into_what(manager, rep, fresh_log):
    kept = make_company(name="Bodegas Almendral", owner=rep)
    twin = make_company(name="Bodegas Almendral S.L.", owner=rep)
    fresh_log()

    merge_records(kept, twin, by=manager)

    [merged] = events()
    assert (merged.kind, merged.actor, merged.target_id) == (Kind.MERGE, manager, str(kept.pk))
    assert (merged.details["merged_id"], merged.details["merged_name"]) == (
        twin.pk,
        "Bodegas Almendral S.L.",
    )


def test_an_import_is_recorded_with_its_file_and_rows(manager_client, manager, fresh_log):
    upload(manager_client, GOOD_CSV)
    lead_import = LeadImport.objects.get()
    fresh_log()

    importing.start_import(lead_import, by=manager)

    [imported] = events(Kind.IMPORT)
    assert (imported.actor, imported.target_id) == (manager, str(lead_import.pk))
    assert imported.details == {"file_name": "leads.csv", "rows": lead_import.total}


def test_an_api_403_is_recorded_as_a_refused_access(api_client, rep, fresh_log):
    client = api_client(rep)
    url = reverse("api:lead-bulk-assign")
    client.get("/api/v1/companies/")  # the token's first use today, recorded apart
    fresh_log()

    response = client.post(url, {}, content_type="application/json")

    assert response.status_code == 403
    [denied] = events()
    assert (denied.kind, denied.actor, denied.details) == (
        Kind.ACCESS_DENIED,
        rep,
        {"path": url, "status": 403},
    )


def test_a_team_given_another_manager_in_the_admin_is_recorded(
    admin_client, admin_user, north, manager, fresh_log
):
    successor = make_user(username="sofia", role="manager")
    fresh_log()

    response = admin_client.post(
        reverse("admin:crm_team_change", args=[north.pk]),
        {
            "name": north.name,
            "manager": successor.pk,
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:1000]
    [changed] = events()
    assert (changed.kind, changed.actor, changed.target_text, changed.details) == (
        Kind.RIGHTS_CHANGED,
        admin_user,
        "North",
        {"changes": {"manager": [manager.pk, successor.pk]}},
    )


def test_a_report_table_exported_is_recorded_with_its_rows(manager_client, manager, stages):
    SecurityEvent.objects.all().delete()

    response = manager_client.get(reverse("reports:pipeline"), {"format": "csv", "table": "stages"})

    rows = response.content.decode().removeprefix("\ufeff").strip().splitlines()
    [export] = events()
    assert (export.kind, export.actor, export.target_text) == (
        Kind.EXPORT,
        manager,
        "reports/pipeline-stages.csv",
    )
    assert export.details == {
        "rows": len(rows) - 1,  # the header is no row of figures
        "filters": "format=csv&table=stages",
        "complete": True,
    }


def test_an_imports_rejected_rows_taken_away_are_an_export(manager_client, manager, fresh_log):
    upload(manager_client, GOOD_CSV)
    lead_import = LeadImport.objects.get()
    LeadImport.objects.filter(pk=lead_import.pk).update(rejected=2, rejected_csv="a\\nb\\nc\\n")
    fresh_log()

    manager_client.get(reverse("leads:import_rejected", args=[lead_import.pk]))

    [export] = events()
    assert (export.kind, export.actor, export.target_id) == (
        Kind.EXPORT,
        manager,
        str(lead_import.pk),
    )
    assert export.details == {"rows": 2, "file": "rejected.csv"}


def test_password_resets_past_the_limit_send_and_record_nothing(rep, settings, fresh_log):
    settings.PASSWORD_RESET_RATE_LIMIT = 3
    browser = Client(REMOTE_ADDR=ALICE_ADDRESS)
    fresh_log()

    answers = [browser.post(reverse("password_reset"), {"email": rep.email}) for _ in range(6)]

    # The page answers the same every time: it tells nobody which were sent.
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mail.outbox) == 3
    assert [event.kind for event in events()] == [Kind.PASSWORD_RESET_REQUESTED] * 3
