"""An edit form opened on a lead is refused once someone else saved the lead: another edit, a
status change from the list, a bulk assign, the admin. Nothing of theirs is lost, and the form
says what changed and keeps what was typed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leads import services
from leads.models import Lead
from tests.factories import make_lead
from tests.posted import form_data, save_as_loaded


def edit_url(lead) -> str:
    return reverse("leads:edit", args=[lead.pk])


def changes(response) -> list[tuple[str, str, str | None]]:
    return [(c.label, c.now, c.yours) for c in response.context["changed_meanwhile"]]


def lead_updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "leads_lead"')]


def test_two_people_edit_a_lead_the_second_is_refused(rep_client, manager_client, lead):
    reps_form = form_data(rep_client.get(edit_url(lead)))
    save_as_loaded(manager_client, edit_url(lead), job_title="CTO")

    response = rep_client.post(edit_url(lead), reps_form | {"notes": "Wants a call on Monday"})

    lead.refresh_from_db()
    assert (lead.job_title, lead.notes, lead.version) == ("CTO", "", 2)
    assert response.status_code == 200
    assert "Someone else saved this record while you were editing it." in response.text
    assert changes(response) == [("Job title", "CTO", None)]
    again = form_data(response)
    assert (again["job_title"], again["notes"], again["version"]) == (
        "CTO",
        "Wants a call on Monday",
        "2",
    )

    rep_client.post(edit_url(lead), again)

    lead.refresh_from_db()
    assert (lead.job_title, lead.notes, lead.version) == ("CTO", "Wants a call on Monday", 3)


@pytest.mark.parametrize("action", ["qualify", "disqualify"])
def test_a_status_change_from_the_list_makes_an_open_edit_form_stale(
    rep_client, lead, no_budget, htmx_headers, action
):
    reps_form = form_data(rep_client.get(edit_url(lead)))
    row = {**htmx_headers, "HX-Target": "lead-row"}
    if action == "qualify":
        rep_client.post(
            reverse("leads:change_status", args=[lead.pk]), {"action": "qualify"}, headers=row
        )
    else:
        rep_client.post(
            reverse("leads:disqualify", args=[lead.pk]), {"reason": no_budget.pk}, headers=row
        )

    response = rep_client.post(edit_url(lead), reps_form | {"company_name": "Acme Iberia"})

    status = Lead.Status.QUALIFIED if action == "qualify" else Lead.Status.DISQUALIFIED
    assert changes(response) == [("Status", status.label, None)]
    assert Lead.objects.values_list("status", "company_name", "version").get() == (
        status,
        "Acme",
        2,
    )


def test_a_bulk_assign_makes_an_open_edit_form_stale(manager_client, admin_client, lead, teammate):
    managers_form = form_data(manager_client.get(edit_url(lead)))
    admin_client.post(
        reverse("leads:bulk"), {"action": "assign", "owner": teammate.pk, "leads": [lead.pk]}
    )

    response = manager_client.post(edit_url(lead), managers_form | {"notes": "Hot"})

    assert changes(response) == [("Owner", str(teammate), None)]
    assert form_data(response)["owner"] == str(teammate.pk)
    assert Lead.objects.values_list("owner", "notes", "version").get() == (teammate.pk, "", 2)


def test_a_bulk_assign_raises_every_version_in_one_update(manager, teammate, rep):
    leads = [make_lead(owner=rep), make_lead(owner=rep), make_lead(owner=rep)]

    with CaptureQueriesContext(connection) as queries:
        assert services.assign(leads, owner=teammate, by=manager) == 3

    assert len(lead_updates(queries.captured_queries)) == 1
    assert set(Lead.objects.values_list("owner", "version")) == {(teammate.pk, 2)}
    assert [lead.version for lead in leads] == [2, 2, 2]


def test_a_bulk_disqualify_raises_every_version_in_one_update(manager, rep, no_budget):
    leads = [make_lead(owner=rep), make_lead(owner=rep)]
    done = make_lead(owner=rep, status=Lead.Status.DISQUALIFIED)

    with CaptureQueriesContext(connection) as queries:
        assert services.disqualify_many([*leads, done], reason=no_budget, by=manager) == 2

    assert len(lead_updates(queries.captured_queries)) == 1
    assert set(Lead.objects.exclude(pk=done.pk).values_list("status", "version")) == {
        ("disqualified", 2)
    }
    assert Lead.objects.get(pk=done.pk).version == 1
    assert list(leads[0].status_changes.values_list("from_status", "to_status", "note")) == [
        ("new", "disqualified", "No budget")
    ]


def test_the_lead_admin_refuses_a_stale_save(admin_client, rep_client, lead):
    url = reverse("admin:leads_lead_change", args=[lead.pk])
    loaded = form_data(admin_client.get(url))
    save_as_loaded(rep_client, edit_url(lead), website="https://acme.example")

    response = admin_client.post(url, loaded | {"notes": "Checked"})

    assert response.status_code == 200
    assert "Website, now saved: “https://acme.example”" in response.text
    assert Lead.objects.values_list("website", "notes", "version").get() == (
        "https://acme.example",
        "",
        2,
    )

    assert admin_client.post(url, form_data(response)).status_code == 302
    assert Lead.objects.values_list("website", "notes", "version").get() == (
        "https://acme.example",
        "Checked",
        3,
    )
