"""The report figures through the API: the numbers the report pages show, for the same user
and filters, and never another team's deals. The story is the reports' own (May 2026,
``tests/reports/conftest.py``); asked for through a custom period, the real today aside."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.utils.encoders import JSONEncoder

from api import report_serializers as shown
from opportunities.models import ForecastCategory
from tests.factories import make_opportunity, make_stage
from tests.reports.conftest import sales  # noqa: F401 (the story, as a fixture)

pytestmark = pytest.mark.usefixtures("sales")

MAY = {"period": "custom", "start": "2026-05-01", "end": "2026-05-31"}

# API endpoint, report page, the serializer the API shows its figures with.
REPORTS = {
    "pipeline": ("reports:pipeline", shown.PipelineReport),
    "forecast": ("reports:forecast", shown.ForecastReport),
    "team-performance": ("reports:team_performance", shown.TeamPerformanceReport),
    "win-loss": ("reports:win_loss", shown.WinLossReport),
    "velocity": ("reports:velocity", shown.VelocityReport),
}


def _without_days_in_stage(figures: dict) -> dict:
    """The pipeline's days in stage are measured up to the moment asked: a few microseconds
    apart between two requests."""
    for row in figures.get("rows", []):
        if "avg_days" in row and "stage_name" in row and "entries" not in row:
            row["avg_days"] = round(row["avg_days"], 3)
    return figures


@pytest.mark.parametrize("who", ["rep", "manager", "admin_user"])
@pytest.mark.parametrize("name", REPORTS)
def test_the_api_gives_the_figures_the_report_page_shows(
    request, client_for, api_client, who, name
):
    user = request.getfixturevalue(who)
    page_name, serializer = REPORTS[name]
    # A deal expected this month, so that the forecast has something to show now.
    make_opportunity(
        owner=request.getfixturevalue("rep"),
        amount=Decimal("1500"),
        expected_close_date=datetime.date.today(),
        forecast_category=ForecastCategory.COMMIT,
    )
    page = client_for(user).get(reverse(page_name), MAY)
    cache.clear()  # computed again for the API, not read back from the page's

    response = api_client(user, scope="read").get(f"/api/v1/reports/{name}/", MAY)

    assert response.status_code == 200, response.content
    on_page = serializer({"scope": page.context["scope"], **page.context["report"]}).data
    assert _without_days_in_stage(response.json()) == _without_days_in_stage(_as_json(on_page))


def _as_json(data):
    return json.loads(json.dumps(data, cls=JSONEncoder))


def test_a_rep_gets_their_own_numbers_only(rep, other_rep, north, api_client):
    figures = api_client(rep).get("/api/v1/reports/team-performance/", MAY).json()

    assert [(row["name"], row["won_count"], row["won_amount"]) for row in figures["reps"]] == [
        ("Alice Rep", 2, "6500.00")
    ]
    assert [row["name"] for row in figures["teams"]] == ["North"]
    assert figures["scope"] == {
        "start": "2026-05-01",
        "end": "2026-05-31",
        "team": None,
        "rep": rep.pk,
        "pipeline": None,
    }


def test_a_rep_cannot_widen_the_scope_to_their_team(rep, teammate, api_client):
    figures = api_client(rep).get("/api/v1/reports/team-performance/", {**MAY, "rep": teammate.pk})

    assert [row["name"] for row in figures.json()["reps"]] == ["Alice Rep"]


def test_another_teams_deals_are_never_counted(manager, admin_user, api_client):
    # Charlie's (South) Tyrell: 100,000 open in Proposal.
    north = api_client(manager).get("/api/v1/reports/pipeline/").json()
    everyone = api_client(admin_user).get("/api/v1/reports/pipeline/").json()

    assert north["totals"] == {
        "count": 4,
        "amount": "20000.00",
        "weighted": "13000.00",
        "unconverted": 1,
    }
    assert (everyone["totals"]["count"], everyone["totals"]["amount"]) == (5, "120000.00")


def test_a_manager_asking_for_another_teams_numbers_is_told_why(manager, south, api_client):
    response = api_client(manager).get("/api/v1/reports/win-loss/", {"team": south.pk})

    assert response.status_code == 400
    assert list(response.json()) == ["team"]


def test_a_custom_period_needs_both_days(manager, api_client):
    response = api_client(manager).get("/api/v1/reports/velocity/", {"period": "custom"})

    assert (response.status_code, response.json()) == (
        400,
        {
            "start": ["Give the first day of the period."],
            "end": ["Give the last day of the period."],
        },
    )


def test_a_pipeline_narrows_the_figures(manager, sales, api_client):  # noqa: F811
    other = make_stage(name="Elsewhere").pipeline

    mine = api_client(manager).get("/api/v1/reports/pipeline/", {"pipeline": sales.pipeline.pk})
    none = api_client(manager).get("/api/v1/reports/pipeline/", {"pipeline": other.pk})

    assert mine.json()["totals"]["count"] == 4
    assert (none.json()["rows"], none.json()["totals"]["count"]) == ([], 0)
