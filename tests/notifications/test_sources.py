"""Each thing that happens to someone's record tells them once, and never tells whoever did it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leads import services as leads
from notifications.models import Notification
from opportunities import services as opportunities
from tests.factories import make_lead, make_opportunity
from webhooks.delivery import tell_admins_disabled
from webhooks.models import Endpoint


def _sql(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries]


def _told():
    return list(
        Notification.objects.order_by("pk").values_list("user__username", "kind", "target_id")
    )


def test_a_lead_assigned_to_someone_tells_them(rep, teammate, manager):
    lead = make_lead(owner=rep)

    leads.update_lead(lead, by=manager, owner=teammate)

    assert _told() == [("bob", Notification.Kind.LEAD_ASSIGNED, lead.pk)]
    notification = Notification.objects.get()
    assert notification.text == f"Mia Manager assigned the lead {lead} to you."
    assert notification.url == lead.get_absolute_url()


def test_a_lead_from_the_web_form_tells_the_rep_it_goes_to(rep, north):
    lead = leads.create_web_lead(
        name="Ann Lee",
        email="ann@example.org",
        phone="",
        company_name="",
        message="Call me",
        team_name=north.name,
    )

    assert _told() == [(lead.owner.username, Notification.Kind.LEAD_ASSIGNED, lead.pk)]
    assert Notification.objects.get().text == f"The lead {lead} was assigned to you."


def test_a_lead_a_manager_makes_for_a_rep_tells_the_rep(rep, manager):
    lead = leads.create_lead(by=manager, last_name="Lee", owner=rep)

    assert _told() == [("alice", Notification.Kind.LEAD_ASSIGNED, lead.pk)]


def test_a_lead_one_makes_for_oneself_tells_nobody(rep):
    leads.create_lead(by=rep, last_name="Lee", owner=rep)

    assert _told() == []


def test_taking_a_lead_oneself_tells_nobody(rep, teammate):
    lead = make_lead(owner=teammate)

    leads.update_lead(lead, by=rep, owner=rep)

    assert _told() == []


def test_an_edit_that_keeps_the_owner_tells_nobody(rep, manager):
    lead = make_lead(owner=rep)

    leads.update_lead(lead, by=manager, job_title="Buyer")

    assert _told() == []


def test_three_leads_assigned_at_once_make_three_notifications_in_one_insert(
    rep, teammate, manager
):
    batch = [make_lead(owner=rep) for _ in range(3)]

    with CaptureQueriesContext(connection) as queries:
        leads.assign(batch, owner=teammate, by=manager)

    inserts = [sql for sql in _sql(queries) if sql.startswith('INSERT INTO "notifications_')]
    assert len(inserts) == 1
    assert sorted(_told()) == sorted(
        ("bob", Notification.Kind.LEAD_ASSIGNED, lead.pk) for lead in batch
    )


def test_a_manager_assigning_leads_to_themselves_is_not_told(rep, manager):
    batch = [make_lead(owner=rep) for _ in range(2)]

    leads.assign(batch, owner=manager, by=manager)

    assert _told() == []


def test_a_deal_handed_over_tells_its_new_owner(rep, teammate, manager):
    deal = make_opportunity(owner=rep)

    opportunities.update_opportunity(deal, by=manager, version=deal.version, owner=teammate)

    assert _told() == [("bob", Notification.Kind.DEAL_HANDED_OVER, deal.pk)]
    assert Notification.objects.get().text == f"Mia Manager handed the deal {deal} to you."


def test_a_deal_one_takes_oneself_tells_nobody(rep, teammate):
    deal = make_opportunity(owner=teammate)

    opportunities.update_opportunity(deal, by=rep, version=deal.version, owner=rep)

    assert _told() == []


def test_a_deal_edited_without_changing_hands_tells_nobody(rep, manager):
    deal = make_opportunity(owner=rep)

    opportunities.update_opportunity(deal, by=manager, version=deal.version, name="Renamed")

    assert _told() == []


def test_a_disabled_webhook_endpoint_tells_each_admin(rep, admin_user):
    other_admin = type(admin_user).objects.create(
        username="otto", role=admin_user.Role.ADMIN, email="otto@example.com"
    )
    endpoint = Endpoint.objects.create(
        url="https://hooks.example.com/crm", events=["lead.created"], created_by=admin_user
    )

    tell_admins_disabled(endpoint)

    assert sorted(_told()) == [
        ("ada", Notification.Kind.ENDPOINT_DISABLED, endpoint.pk),
        ("otto", Notification.Kind.ENDPOINT_DISABLED, endpoint.pk),
    ]
    notification = Notification.objects.filter(user=other_admin).get()
    assert notification.url == reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    assert notification.text == (
        "The webhook endpoint https://hooks.example.com/crm failed again and again and was "
        "disabled."
    )
