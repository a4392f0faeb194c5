"""Dates at the ends of the calendar (the date pickers offer them) get an answer, never a 500."""

import pytest
from django.urls import reverse

EDGES = ["0001-01-01", "9999-12-31"]

PAGES = [
    ("leads:list", "created_after={0}&created_before={1}"),
    ("crm:company_list", "created_after={0}&created_before={1}"),
    ("crm:contact_list", "created_after={0}&created_before={1}"),
    ("opportunities:list", "close_from={0}&close_to={1}"),
    ("opportunities:board", "close_from={0}&close_to={1}"),
    *[
        (f"reports:{name}", "period=custom&start={0}&end={1}")
        for name in (
            "dashboard", "pipeline", "forecast", "team_performance", "lead_funnel", "win_loss",
            "velocity", "slipped",
        )
    ],
]  # fmt: skip


@pytest.mark.parametrize(("name", "query"), PAGES)
@pytest.mark.parametrize(
    ("first", "last"), [(EDGES[0], EDGES[1]), (EDGES[1], EDGES[1]), (EDGES[0], EDGES[0])]
)
# East of UTC the calendar's first midnight is before the first instant a datetime holds.
@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
def test_a_period_at_the_ends_of_the_calendar_is_answered(
    manager_client, settings, name, query, first, last, zone
):
    settings.TIME_ZONE = zone
    response = manager_client.get(f"{reverse(name)}?{query.format(first, last)}")

    assert response.status_code == 200


def test_a_report_period_ending_on_the_last_day_of_the_calendar_says_why_it_is_refused(
    manager_client,
):
    response = manager_client.get(
        reverse("reports:win_loss"),
        {"period": "custom", "start": "2026-01-01", "end": "9999-12-31"},
    )

    message = "Choose a day before the last one of the calendar."
    assert response.context["form"].errors["end"] == [message]
    assert message in response.content.decode()


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris"])
@pytest.mark.parametrize("report", ["velocity", "team-performance", "win-loss", "forecast"])
def test_an_api_report_over_the_calendars_first_days_is_refused_with_the_reason(
    admin_client, settings, zone, report
):
    settings.TIME_ZONE = zone
    response = admin_client.get(
        f"/api/v1/reports/{report}/", {"period": "custom", "start": EDGES[0], "end": "0001-01-02"}
    )

    assert response.status_code == 400
    assert response.json()["start"] == ["Choose a day after the first one of the calendar."]
