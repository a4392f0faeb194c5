from django.urls import reverse

from leads.models import Lead
from tests.factories import make_lead

URL = reverse("leads:bulk")


def test_manager_assigns_checked_leads(manager_client, rep, teammate, other_rep):
    mine = [make_lead(owner=rep), make_lead(owner=rep)]
    foreign = make_lead(owner=other_rep)

    response = manager_client.post(
        URL, {"action": "assign", "owner": teammate.pk, "leads": [lead.pk for lead in mine]}
    )

    assert response["Location"] == reverse("leads:list")
    assert set(Lead.objects.filter(owner=teammate)) == set(mine)
    foreign.refresh_from_db()
    assert foreign.owner == other_rep


def test_manager_cannot_touch_leads_outside_their_teams(manager_client, teammate, other_rep):
    foreign = make_lead(owner=other_rep)

    manager_client.post(URL, {"action": "assign", "owner": teammate.pk, "leads": [foreign.pk]})

    foreign.refresh_from_db()
    assert foreign.owner == other_rep


def test_manager_disqualifies_checked_leads_with_htmx(manager_client, rep, no_budget, htmx_headers):
    leads = [make_lead(owner=rep), make_lead(owner=rep)]

    response = manager_client.post(
        URL,
        {"action": "disqualify", "reason": no_budget.pk, "leads": [lead.pk for lead in leads]},
        headers=htmx_headers,
    )

    assert response["HX-Refresh"] == "true"
    assert set(Lead.objects.values_list("status", "disqualify_reason")) == {
        ("disqualified", no_budget.pk)
    }


def test_bulk_disqualify_needs_a_reason(manager_client, rep):
    lead = make_lead(owner=rep)

    response = manager_client.post(URL, {"action": "disqualify", "leads": [lead.pk]}, follow=True)

    assert "Choose a reason." in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW


def test_rep_cannot_bulk_assign(rep_client, rep, teammate):
    lead = make_lead(owner=rep)

    response = rep_client.post(URL, {"action": "assign", "owner": teammate.pk, "leads": [lead.pk]})

    assert response.status_code == 404
    lead.refresh_from_db()
    assert lead.owner == rep


def test_bulk_wrong_method_and_anonymous(manager_client, client):
    assert manager_client.get(URL).status_code == 405
    assert client.post(URL)["Location"].startswith("/accounts/login/")
