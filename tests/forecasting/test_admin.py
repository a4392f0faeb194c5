"""Quotas in the admin: a staff manager sees and picks only her own teams' and people's."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from crm.models import User
from forecasting.models import Period, Quota

JUNE = datetime.date(2026, 6, 1)


@pytest.fixture
def staff_client(manager):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label="forecasting"))
    client = Client()
    client.force_login(User.objects.get(pk=manager.pk))
    return client


def test_staff_manager_lists_her_teams_quotas_only(staff_client, rep, other_rep, north, south):
    Quota.objects.create(owner=rep, period=Period.MONTH, start=JUNE, amount=Decimal("1111"))
    Quota.objects.create(team=north, period=Period.MONTH, start=JUNE, amount=Decimal("2222"))
    Quota.objects.create(owner=other_rep, period=Period.MONTH, start=JUNE, amount=Decimal("3333"))
    Quota.objects.create(team=south, period=Period.MONTH, start=JUNE, amount=Decimal("4444"))

    html = staff_client.get("/admin/forecasting/quota/").content.decode()

    assert "1111" in html and "2222" in html
    assert "3333" not in html and "4444" not in html


def test_staff_manager_cannot_set_another_team_s_quota(staff_client, manager, rep, other_rep):
    form = {"period": "month", "start": "2026-06-01", "amount": "500", "owner": other_rep.pk}

    refused = staff_client.post("/admin/forecasting/quota/add/", form)
    saved = staff_client.post("/admin/forecasting/quota/add/", {**form, "owner": rep.pk})

    assert refused.status_code == 200  # the form again, the choice refused
    assert saved.status_code == 302
    assert list(Quota.objects.values_list("owner", "set_by")) == [(rep.pk, manager.pk)]


def test_the_admin_refuses_a_quota_starting_mid_month(staff_client, rep):
    form = {"period": "month", "start": "2026-06-15", "amount": "500", "owner": rep.pk}

    response = staff_client.post("/admin/forecasting/quota/add/", form)

    assert "A quota starts on the first day of its month or quarter." in response.content.decode()
    assert not Quota.objects.exists()
