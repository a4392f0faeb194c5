"""A manager reads how far the probabilities can be trusted: per stage, the share of the deals
that had been in it and were won, beside the stage's probability, the open pipeline weighted
both ways; per rep, the probability they gave before closing against what was won (Brier).

The scenario, all in the last 12 months (stages Qualification 30 %, Proposal 60 %,
Negotiation 90 %):
- Alice: A at 80 %, moved to Proposal, won; B at 60 %, won in Qualification; C at 90 %, moved
  to Proposal, lost; F open in Proposal, 1,000 EUR, at 60 %.
- Bob: D at 50 %, won in Qualification.
- Charlie (South): E at 10 %, won; never counted for Mia (North's manager).

Qualification: A, B, C, D closed, 3 won: 75 %. Proposal: A, C closed, 1 won: 50 %.
Alice called 80, 60, 90 and won 2 of 3: average 76.7 %, 66.7 % won, 10 points high, Brier
((0.8-1)² + (0.6-1)² + (0.9-0)²) / 3 = 1.01 / 3 = 0.337. Bob: 50 %, won, Brier 0.25.
Open pipeline: F weighted 600 EUR by its probability, 500 EUR by Proposal's history.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.services import (
    create_opportunity,
    mark_lost,
    mark_won,
    move_opportunity,
    update_opportunity,
)
from reports.calibration import calibration_report
from reports.filters import ReportFilterForm
from tests.factories import make_lost_reason

URL = reverse("reports:calibration")


def deal(owner, stage, probability, name, amount="1000"):
    opened = create_opportunity(
        by=owner,
        stage=stage,
        name=name,
        amount=Decimal(amount),
        expected_close_date=timezone.localdate(),
    )
    return update_opportunity(opened, by=owner, version=opened.version, probability=probability)


@pytest.fixture
def scenario(rep, teammate, other_rep, stages):
    qualification, proposal, _negotiation = stages
    a = deal(rep, qualification, 80, "A")
    move_opportunity(a, stage=proposal, by=rep)
    mark_won(a, by=rep)
    mark_won(deal(rep, qualification, 60, "B"), by=rep)
    c = deal(rep, qualification, 90, "C")
    move_opportunity(c, stage=proposal, by=rep)
    mark_lost(c, reason=make_lost_reason(), by=rep)
    f = deal(rep, qualification, 60, "F")
    move_opportunity(f, stage=proposal, by=rep)
    mark_won(deal(teammate, qualification, 50, "D"), by=teammate)
    mark_won(deal(other_rep, qualification, 10, "E"), by=other_rep)
    return stages


def figures(user):
    return calibration_report(ReportFilterForm({}, user=user).scope())


def test_each_stage_shows_the_share_won_from_it_and_the_pipeline_weighted_both_ways(
    scenario, manager
):
    report = figures(manager)
    rows = {row["stage"].name: row for row in report["rows"]}

    assert (rows["Qualification"]["closed"], rows["Qualification"]["won"]) == (4, 3)
    assert rows["Qualification"]["rate"] == 0.75
    assert (rows["Proposal"]["closed"], rows["Proposal"]["won"], rows["Proposal"]["rate"]) == (
        2,
        1,
        0.5,
    )
    assert rows["Proposal"]["probability"] == 0.6
    assert rows["Proposal"]["weighted"] == Decimal("600.00")
    assert rows["Proposal"]["history_weighted"] == Decimal("500.00")
    assert report["totals"]["history_weighted"] == Decimal("500.00")


def test_each_rep_shows_their_calls_against_what_was_won(scenario, manager, rep, teammate):
    reps = {row["owner"]: row for row in figures(manager)["reps"]}

    alice, bob = reps[rep.pk], reps[teammate.pk]
    assert alice["closed"] == 3
    assert alice["given"] == pytest.approx(0.7667, abs=1e-4)
    assert alice["won"] == pytest.approx(2 / 3)
    assert alice["gap"] == pytest.approx(0.1)
    assert alice["brier"] == pytest.approx(1.01 / 3)
    assert (bob["closed"], bob["given"], bob["won"], bob["brier"]) == (1, 0.5, 1.0, 0.25)
    assert set(reps) == {rep.pk, teammate.pk}  # Charlie is South's


def test_a_rep_sees_only_their_own_calls(scenario, rep):
    report = figures(rep)

    assert [row["owner"] for row in report["reps"]] == [rep.pk]
    rows = {row["stage"].name: row for row in report["rows"]}
    assert (rows["Qualification"]["closed"], rows["Qualification"]["won"]) == (3, 2)


def test_the_page_reads_as_the_figures_say(scenario, manager_client, other_rep):
    html = manager_client.get(URL).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    assert "Qualification Sales 30 % 4 75 %" in text
    assert "Alice Rep 3 77 % 67 % +10 0.337" in text
    assert "Bob Rep 1 50 % 100 % -50 0.250" in text
    assert str(other_rep) not in text


def test_the_reps_table_exports_as_csv(scenario, manager_client):
    response = manager_client.get(URL, {"format": "csv", "table": "reps"})

    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Owner,Closed deals,Average probability given")
    assert "Alice Rep,3," in body
