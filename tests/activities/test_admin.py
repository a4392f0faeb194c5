"""The activity admin: scoped like every other list, searchable, filterable."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from activities.admin import ActivityAdmin  # importing it registers it, as crm/admin.py will
from activities.models import Activity
from crm.models import Company
from tests.factories import make_activity


@pytest.fixture
def staff_manager_client(manager):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.user_permissions.add(Permission.objects.get(codename="view_activity"))
    client = Client()
    client.force_login(manager)
    return client


def test_admin_lists_only_visible_activities(
    staff_manager_client, deal, rep, other_deal, other_rep
):
    make_activity(opportunity=deal, owner=rep, subject="North call")
    make_activity(opportunity=other_deal, owner=other_rep, subject="South call")
    html = staff_manager_client.get("/admin/activities/activity/").content.decode()
    assert "North call" in html
    assert "South call" not in html


def test_admin_filters_overdue_and_searches(admin_client, deal, rep):
    make_activity(
        opportunity=deal,
        owner=rep,
        subject="Late one",
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    make_activity(opportunity=deal, owner=rep, subject="On time")
    overdue = admin_client.get("/admin/activities/activity/?state=overdue").content.decode()
    found = admin_client.get("/admin/activities/activity/?q=time").content.decode()
    assert ("Late one" in overdue, "On time" in overdue) == (True, False)
    assert ("Late one" in found, "On time" in found) == (False, True)


def test_admin_change_form_opens(admin_client, deal, rep):
    activity = make_activity(opportunity=deal, owner=rep, subject="Edit me")
    html = admin_client.get(f"/admin/activities/activity/{activity.pk}/change/").content.decode()
    assert 'value="Edit me"' in html


def test_autocomplete_where_the_related_admin_offers_search(rf, admin_user):
    site = admin.AdminSite()
    site.register(Company, search_fields=["name"])
    request = rf.get("/")
    request.user = admin_user
    assert ActivityAdmin(Activity, site).get_autocomplete_fields(request) == ["company"]
