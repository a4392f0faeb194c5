"""Completing an activity is refused once someone else completed or changed it since the form
was opened: nothing is done twice, and the form says what changed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from activities.models import Activity
from tests.factories import make_activity, make_lead
from tests.posted import form_data


def complete_url(activity) -> str:
    return f"/activities/{activity.pk}/complete/?slot=timeline"


def changes(response) -> list[tuple[str, str, str | None]]:
    return [(c.label, c.now, c.yours) for c in response.context["changed_meanwhile"]]


@pytest.fixture
def call(rep):
    return make_activity(lead=make_lead(owner=rep), owner=rep, kind="call", subject="Call Pat")


def test_the_complete_form_carries_the_version(rep_client, call, htmx_headers):
    loaded = form_data(rep_client.get(complete_url(call), headers=htmx_headers))

    assert (loaded["version"], loaded["initial-outcome"], loaded["seen_subject"]) == (
        "1",
        "",
        "Call Pat",
    )


def test_two_people_complete_the_same_activity_the_second_is_refused(
    rep_client, manager_client, manager, call, htmx_headers
):
    reps_form = form_data(rep_client.get(complete_url(call), headers=htmx_headers))
    managers_form = form_data(manager_client.get(complete_url(call), headers=htmx_headers))
    manager_client.post(
        complete_url(call), managers_form | {"outcome": "Left a voicemail"}, headers=htmx_headers
    )

    response = rep_client.post(
        complete_url(call), reps_form | {"outcome": "Booked a demo"}, headers=htmx_headers
    )

    call.refresh_from_db()
    assert (call.outcome, call.done_by, call.version) == ("Left a voicemail", manager, 2)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert "Mia Manager marked this activity done meanwhile." in response.text
    done_at = formats.localize(timezone.localtime(call.done_at.replace(microsecond=0)))
    assert changes(response) == [
        ("Outcome", "Left a voicemail", "Booked a demo"),
        ("Done at", done_at, None),
        ("Done by", str(manager), None),
    ]
    assert form_data(response, marker="outcome")["outcome"] == "Booked a demo"
    assert 'type="submit"' not in response.text  # nothing is left to mark done
    assert Activity.objects.count() == 1


def test_an_activity_rescheduled_meanwhile_is_refused_then_completed(
    rep_client, admin_client, call, htmx_headers
):
    reps_form = form_data(rep_client.get(complete_url(call), headers=htmx_headers))
    admin_url = reverse("admin:activities_activity_change", args=[call.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    admin_client.post(admin_url, form_data(admin_client.get(admin_url)) | {"due_date": tomorrow})

    response = rep_client.post(
        complete_url(call), reps_form | {"outcome": "Reached"}, headers=htmx_headers
    )

    assert changes(response) == [("Due date", formats.localize(tomorrow), None)]
    assert Activity.objects.values_list("done_at", "due_date", "version").get() == (
        None,
        tomorrow,
        2,
    )

    done = rep_client.post(complete_url(call), form_data(response), headers=htmx_headers)

    assert done["HX-Retarget"] == f"#timeline-lead-{call.lead_id}"
    call.refresh_from_db()
    assert (call.is_done, call.outcome, call.version) == (True, "Reached", 3)


def test_handing_the_lead_over_makes_an_open_complete_form_stale(
    manager_client, admin_client, call, teammate, htmx_headers
):
    managers_form = form_data(manager_client.get(complete_url(call), headers=htmx_headers))
    admin_client.post(
        reverse("leads:bulk"), {"action": "assign", "owner": teammate.pk, "leads": [call.lead_id]}
    )

    response = manager_client.post(complete_url(call), managers_form, headers=htmx_headers)

    assert changes(response) == [("Owner", str(teammate), None)]
    assert Activity.objects.values_list("owner", "done_at", "version").get() == (
        teammate.pk,
        None,
        2,
    )


def test_the_activity_admin_refuses_a_stale_save(admin_client, rep_client, call, htmx_headers):
    admin_url = reverse("admin:activities_activity_change", args=[call.pk])
    loaded = form_data(admin_client.get(admin_url))
    rep_client.post(
        complete_url(call),
        form_data(rep_client.get(complete_url(call), headers=htmx_headers))
        | {"outcome": "Reached"},
        headers=htmx_headers,
    )

    response = admin_client.post(admin_url, loaded | {"notes": "Ask about the budget"})

    assert response.status_code == 200
    assert "Outcome, now saved: “Reached”" in response.text
    call.refresh_from_db()
    assert (call.is_done, call.notes, call.version) == (True, "", 2)

    # Saved again as shown, the admin's note is added and the completion stays.
    assert admin_client.post(admin_url, form_data(response)).status_code == 302
    call.refresh_from_db()
    assert (call.is_done, call.outcome, call.notes, call.version) == (
        True,
        "Reached",
        "Ask about the budget",
        3,
    )
