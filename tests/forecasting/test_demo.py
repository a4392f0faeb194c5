import io

from django.core.management import call_command
from django.test import Client

from crm.models import User
from forecasting.models import Period, Quota


def test_demo_quotas_are_seeded_once_and_show(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    # Iberia, Alice and Bruno: last month, this month, this quarter.
    assert Quota.objects.count() == 9
    assert (
        Quota.objects.filter(owner__isnull=True, period=Period.QUARTER).get().team.name == "Iberia"
    )
    alice = Client()
    alice.force_login(User.objects.get(username="alice"))
    manager = Client()
    manager.force_login(User.objects.get(username="manager"))
    assert "Your quota, " in alice.get("/").content.decode()
    assert 'data-figure="attainment"' in manager.get("/reports/team/").content.decode()
