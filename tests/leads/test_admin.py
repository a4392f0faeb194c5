import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from leads import services, web
from leads.models import LeadSource, WebSubmission
from tests.factories import make_lead, make_web_submission


@pytest.mark.parametrize(
    "model", ["leadsource", "disqualifyreason", "lead", "leadstatuschange", "leadconversion"]
)
def test_admin_pages_list_the_records(admin_client, rep, lead, model):
    services.convert_lead(lead, by=rep)

    response = admin_client.get(reverse(f"admin:leads_{model}_changelist"))

    assert response.status_code == 200
    assert "Select" in response.content.decode()


def test_seeded_sources_are_there_with_stable_codes(db):
    assert set(LeadSource.objects.values_list("code", flat=True)) >= {
        "phone",
        "web",
        "trade-show",
        "referral",
        "import",
        "other",
    }


def test_staff_manager_sees_only_their_teams_leads_in_the_admin(manager, rep, other_rep):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.user_permissions.add(Permission.objects.get(codename="view_lead"))
    make_lead(last_name="Northern", owner=rep)
    make_lead(last_name="Southern", owner=other_rep)
    client = Client()
    client.force_login(manager)

    response = client.get(reverse("admin:leads_lead_changelist"))

    assert [lead.last_name for lead in response.context["cl"].result_list] == ["Northern"]


def test_history_and_conversions_are_read_only_in_the_admin(admin_client, rep, lead):
    conversion = services.convert_lead(lead, by=rep)

    response = admin_client.get(reverse("admin:leads_leadconversion_change", args=[conversion.pk]))

    assert 'name="_save"' not in response.content.decode()
    assert admin_client.get(reverse("admin:leads_leadconversion_add")).status_code == 403


def test_lead_admin_autocompletes_where_the_related_admin_offers_search(rf, admin_user):
    from django.contrib import admin

    from crm.models import Team
    from leads.admin import LeadAdmin
    from leads.models import DisqualifyReason, Lead

    site = admin.AdminSite()
    site.register(Team, search_fields=["name"])
    site.register(LeadSource, search_fields=["name"])
    site.register(DisqualifyReason)
    request = rf.get("/")
    request.user = admin_user

    assert LeadAdmin(Lead, site).get_autocomplete_fields(request) == ["team", "source"]


def test_lead_admin_change_form_opens(admin_client, lead):
    html = admin_client.get(reverse("admin:leads_lead_change", args=[lead.pk])).content.decode()
    assert 'value="Doe"' in html


# --- held web-form messages ----------------------------------------------------------------

HELD_ADMIN = reverse("admin:leads_websubmission_changelist")


def held_names(response) -> list[str]:
    return [submission.name for submission in response.context["cl"].result_list]


@pytest.fixture
def held_messages(north, south, manager):
    make_web_submission(
        name="Fast Fred",
        team=north,
        reason=WebSubmission.Reason.TOO_FAST,
        address="203.0.113.20",
    )
    make_web_submission(name="Honey Hal", team=north, reason=WebSubmission.Reason.HONEYPOT)
    make_web_submission(name="Southern Sue", team=south, reason=WebSubmission.Reason.NO_START)
    released = make_web_submission(name="Released Rae", team=north)
    web.release_submission(released, by=manager)
    return released


def test_the_admin_lists_held_messages_with_reason_address_and_status(admin_client, held_messages):
    response = admin_client.get(HELD_ADMIN)

    body = response.content.decode()
    assert held_names(response) == ["Released Rae", "Southern Sue", "Honey Hal", "Fast Fred"]
    for shown in ("Sent too fast", "Hidden field filled in", "203.0.113.20", "Held", "Released"):
        assert shown in body


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"reason__exact": "honeypot"}, ["Honey Hal"]),
        ({"reason__exact": "too_fast"}, ["Released Rae", "Fast Fred"]),
        ({"status__exact": "released"}, ["Released Rae"]),
        ({"status__exact": "held", "reason__exact": "no_start"}, ["Southern Sue"]),
    ],
)
def test_the_admin_filters_held_messages_by_reason_and_status(
    admin_client, held_messages, query, expected
):
    assert held_names(admin_client.get(HELD_ADMIN, query)) == expected


def test_held_messages_are_read_only_in_the_admin(admin_client, held_messages):
    change = reverse("admin:leads_websubmission_change", args=[held_messages.pk])

    html = admin_client.get(change).content.decode()

    assert "Released Rae" in html
    assert 'name="_save"' not in html
    assert admin_client.get(reverse("admin:leads_websubmission_add")).status_code == 403
    delete = reverse("admin:leads_websubmission_delete", args=[held_messages.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_a_staff_manager_sees_only_their_teams_held_messages(manager, held_messages):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.user_permissions.add(Permission.objects.get(codename="view_websubmission"))
    client = Client()
    client.force_login(manager)

    response = client.get(HELD_ADMIN)

    assert held_names(response) == ["Released Rae", "Honey Hal", "Fast Fred"]
