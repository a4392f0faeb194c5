import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from leads import services
from leads.models import LeadSource
from tests.factories import make_lead


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
