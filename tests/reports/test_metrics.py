"""Every report against the hand-built history of conftest.py, the figures worked out by hand.

Mia manages North (Alice and Bob); Charlie's deal in South must never count for her.
"""

import datetime
from decimal import Decimal

import pytest

from leads.models import Lead, LeadStatusChange
from opportunities.velocity import stage_velocity
from reports import metrics
from reports.velocity import velocity_report
from tests.factories import make_user
from tests.reports.conftest import _activity, _deal, _lead, at, scope_for

D = Decimal


def _by_stage(rows, key="stage__name"):
    return {row[key]: row for row in rows}


def test_pipeline_counts_open_deals_by_stage_in_base_currency(sales, manager):
    report = metrics.pipeline_report(scope_for(manager))

    stages = _by_stage(report["rows"])
    assert list(stages) == ["Qualification", "Proposal", "Negotiation"]
    # Hooli is in CHF, which has no rate: counted, flagged, left out of the amounts.
    assert stages["Qualification"]["count"] == 1
    assert stages["Qualification"]["amount"] == 0
    assert stages["Qualification"]["unconverted"] == 1
    assert stages["Qualification"]["avg_days"] == pytest.approx(14)  # since 1 May noon
    # Globex USD 5,000 at 0.80 (its close date 10 Jun is after the 1 May rate) + Wayne 6,000.
    assert stages["Proposal"]["count"] == 2
    assert stages["Proposal"]["amount"] == D("10000")
    assert stages["Proposal"]["weighted"] == D("5000")  # 4,000 × 50 % + 6,000 × 50 %
    assert stages["Proposal"]["avg_days"] == pytest.approx((10 + 75) / 2)
    assert stages["Negotiation"]["amount"] == D("10000")
    assert stages["Negotiation"]["weighted"] == D("8000")
    assert stages["Negotiation"]["avg_days"] == pytest.approx(20)  # entered 25 Apr
    assert report["totals"] == {
        "count": 4,
        "amount": D("20000"),
        "weighted": D("13000"),
        "unconverted": 1,
    }


def test_forecast_by_month_and_quarter_never_counts_lost_deals(sales, manager):
    rows = {row["period"].key: row for row in metrics.forecast_report(scope_for(manager))["rows"]}

    may = rows["this_month"]
    # Won in May: Stark 4,000 + Wonka 8,000 + Lead deal 2,500. Umbrella (lost, best case,
    # expected 25 May) counts nowhere; Hooli's commit override has no rate: flagged.
    assert (may["won"], may["commit"], may["best_case"], may["pipeline"]) == (
        D("14500"),
        D("10000"),
        0,
        0,
    )
    assert may["weighted"] == D("8000")
    assert may["expected"] == D("24500")
    assert may["open_deals"] == 2
    assert may["unconverted"] == 1

    june = rows["next_month"]
    assert (june["won"], june["commit"], june["best_case"], june["weighted"]) == (
        0,
        0,
        D("4000"),
        D("2000"),
    )

    quarter = rows["this_quarter"]
    # Initech won 20 Apr, USD 2,000 at 0.90 (its closed date's rate, not its close date's).
    assert quarter["won"] == D("16300")
    assert quarter["commit"] == D("10000")
    assert quarter["best_case"] == D("4000")
    assert quarter["weighted"] == D("10000")
    assert quarter["upside"] == D("30300")

    # Wayne was won in March and reopened: it is open pipeline for July, not a win.
    next_quarter = rows["next_quarter"]
    assert (next_quarter["won"], next_quarter["best_case"], next_quarter["weighted"]) == (
        0,
        D("6000"),
        D("3000"),
    )


def test_team_performance_per_rep_and_team(sales, manager, rep, teammate, north):
    newcomer = make_user(username="dora", team=north)

    report = metrics.team_performance_report(scope_for(manager))

    rows = {row["who"]: row for row in report["reps"]}
    assert set(rows) == {rep, teammate, newcomer, manager}  # Mia may own deals too
    alice = rows[rep]
    assert (alice["leads_received"], alice["leads_qualified"], alice["leads_converted"]) == (
        3,
        2,
        1,
    )
    assert alice["created"] == 2  # Hooli and Lead deal
    assert (alice["won_count"], alice["won_amount"]) == (2, D("6500"))
    assert (alice["lost_count"], alice["lost_amount"]) == (1, D("1200"))  # GBP at 1.20 on 5 May
    assert alice["win_rate"] == pytest.approx(2 / 3)
    assert alice["avg_deal"] == D("3250")
    assert alice["avg_cycle_days"] == pytest.approx((98 + 10) / 2)
    assert alice["activities_done"] == 2
    assert (alice["open_amount"], alice["open_count"]) == (D("20000"), 4)
    # Hooli has nothing, Wayne a note and an undated task; Globex's task is overdue (late,
    # not missing) and Acme has a task due 18 May.
    assert alice["no_next_step"] == 2
    assert alice["unconverted"] == 1

    bob = rows[teammate]
    assert (bob["leads_received"], bob["won_count"], bob["won_amount"]) == (1, 1, D("8000"))
    assert (bob["win_rate"], bob["avg_cycle_days"], bob["activities_done"]) == (1.0, 30.0, 1)

    # Someone with nothing yet: zeros, and no rate or average.
    assert (rows[newcomer]["won_amount"], rows[newcomer]["leads_received"]) == (0, 0)
    assert rows[newcomer]["win_rate"] is None

    [north] = report["teams"]
    assert north["who"].name == "North"
    assert (north["leads_received"], north["leads_qualified"], north["leads_converted"]) == (
        4,
        2,
        1,
    )
    assert (north["won_count"], north["won_amount"]) == (3, D("14500"))
    assert north["win_rate"] == pytest.approx(0.75)
    assert north["avg_deal"] == pytest.approx(D("4833.33"), abs=D("0.01"))
    assert north["avg_cycle_days"] == pytest.approx((98 + 10 + 30) / 3)
    assert (north["activities_done"], north["open_amount"], north["no_next_step"]) == (
        3,
        D("20000"),
        2,
    )


def test_team_performance_counts_a_call_for_whoever_made_it(
    sales, manager, rep, other_rep, admin_user
):
    """Alice called about a deal since handed to Charlie in South: the call is still her work
    in Mia's report, and it never counts for Charlie's team."""

    def by_team():
        report = metrics.team_performance_report(scope_for(admin_user))
        return {row["who"].name: row["activities_done"] for row in report["teams"]}

    before = by_team()
    south_deal = _deal(other_rep, sales.stage.q, at(4, 1), name="Handed over")
    _activity(rep, south_deal, done_at=at(5, 8))

    report = metrics.team_performance_report(scope_for(manager))

    alice = next(row for row in report["reps"] if row["who"] == rep)
    [north] = report["teams"]
    assert (alice["activities_done"], north["activities_done"]) == (3, 4)
    assert by_team() == {"North": before["North"] + 1, "South": before["South"]}


def test_team_performance_rows_add_up_to_the_scope_with_the_managers_own_deals(sales, manager):
    # Mia belongs to no team; a deal she won herself counts on her dashboard, so it must
    # count in a row of her team performance too.
    _deal(
        manager, sales.stage.c, at(5, 1), name="Mia's own", amount=Decimal("700"),
        status="won", closed_date=datetime.date(2026, 5, 12),
    )  # fmt: skip
    scope = scope_for(manager)

    report = metrics.team_performance_report(scope)

    mia = next(row for row in report["reps"] if row["who"] == manager)
    assert (mia["won_count"], mia["won_amount"]) == (1, D("700"))
    summary = metrics.win_loss_summary(scope)
    assert sum(row["won_amount"] for row in report["reps"]) == summary["won_amount"]
    assert sum(row["lost_count"] for row in report["reps"]) == summary["lost_count"]


def test_the_team_filter_keeps_what_its_teamless_manager_filed_under_the_team(
    sales, manager, north
):
    # Mia belongs to no team: her own deals are filed under North, the team she runs.
    _deal(
        manager, sales.stage.c, at(5, 1), name="Mia's own", amount=Decimal("700"), team=north,
        status="won", closed_date=datetime.date(2026, 5, 12),
    )  # fmt: skip

    everything = metrics.win_loss_summary(scope_for(manager))
    north_only = metrics.win_loss_summary(scope_for(manager, team=north))
    [north_row] = metrics.team_performance_report(scope_for(manager, team=north))["teams"]

    assert north_only["won_amount"] == everything["won_amount"] == north_row["won_amount"]


def test_team_performance_averages_leave_out_a_win_with_no_rate(sales, manager, rep):
    # Won in May in francs, which have no rate: a win, but no amount to average.
    _deal(
        rep, sales.stage.c, at(5, 1), name="Swiss win", amount=Decimal("9000"), currency="CHF",
        status="won", closed_date=datetime.date(2026, 5, 11),
    )  # fmt: skip

    report = metrics.team_performance_report(scope_for(manager))

    alice = next(row for row in report["reps"] if row["who"] == rep)
    [north] = report["teams"]
    assert (alice["won_count"], alice["won_amount"], alice["unconverted"]) == (3, D("6500"), 2)
    assert alice["avg_deal"] == D("3250")  # 6,500 over the two wins with a rate
    assert alice["win_rate"] == pytest.approx(3 / 4)
    assert alice["avg_cycle_days"] == pytest.approx((98 + 10 + 10) / 3)
    assert north["avg_deal"] == pytest.approx(D("4833.33"), abs=D("0.01"))


def test_lead_funnel_by_source(sales, manager):
    report = metrics.lead_funnel_report(scope_for(manager))

    rows = _by_stage(report["rows"], "source__name")
    web, referral = rows["Web"], rows["Referral"]
    # Web: L1 (qualified, converted, won 2,500), L2 (working), L5 (Bob, new). Charlie's L6 is
    # South's.
    assert (web["leads"], web["qualified"], web["converted"]) == (3, 1, 1)
    assert (web["won_count"], web["won_amount"]) == (1, D("2500"))
    # Referral: L3 qualified; L4 came in April (and was never qualified).
    assert (referral["leads"], referral["qualified"], referral["converted"]) == (1, 1, 0)
    assert referral["won_count"] == 0
    assert report["totals"] == {
        "leads": 4,
        "qualified": 2,
        "converted": 1,
        "won_count": 1,
        "won_amount": D("2500"),
        "unconverted": 0,
    }


def test_a_lead_of_april_qualified_in_may_counts_as_qualified_in_may_everywhere(
    sales, manager, rep
):
    # L4 (Alice, referral) came in on 10 April; she qualifies it on 12 May.
    april_lead = Lead.objects.get(created_at=at(4, 10))
    LeadStatusChange.objects.create(lead=april_lead, to_status="qualified", changed_at=at(5, 12))
    scope = scope_for(manager)

    funnel = metrics.lead_funnel_report(scope)
    performance = metrics.team_performance_report(scope)

    # L1 and L3, as before, and now L4: by the day of qualification, not of arrival.
    alice = next(row for row in performance["reps"] if row["who"] == rep)
    [north] = performance["teams"]
    assert funnel["totals"]["qualified"] == north["leads_qualified"] == 3
    assert alice["leads_qualified"] == 3
    referral = next(row for row in funnel["rows"] if row["source__name"] == "Referral")
    assert (referral["leads"], referral["qualified"]) == (1, 2)
    # Still four leads received in May.
    assert funnel["totals"]["leads"] == north["leads_received"] == 4


def test_reps_and_unassigned_rows_add_up_to_the_team(sales, manager, north):
    # Nobody's: a North web lead of 11 May, qualified on 12 May, and a North deal won on
    # 13 May for 500 EUR, created on 1 May.
    _lead(None, sales.web, at(5, 11), (at(5, 12), "qualified"), team=north)
    _deal(
        None, sales.stage.c, at(5, 1), name="Nobody's", amount=Decimal("500"), team=north,
        status="won", closed_date=datetime.date(2026, 5, 13),
    )  # fmt: skip

    report = metrics.team_performance_report(scope_for(manager))

    unassigned = report["reps"][-1]
    assert unassigned["who"] is None
    assert (unassigned["leads_received"], unassigned["leads_qualified"]) == (1, 1)
    assert (unassigned["created"], unassigned["won_count"], unassigned["won_amount"]) == (
        1,
        1,
        D("500"),
    )
    [team] = report["teams"]
    # Alice 3 leads, Bob 1, nobody 1; Alice 2 qualified, nobody 1; won Alice 6,500, Bob
    # 8,000, nobody 500.
    assert (team["leads_received"], team["leads_qualified"]) == (5, 3)
    assert (team["won_count"], team["won_amount"]) == (4, D("15000"))
    for figure in [
        "leads_received", "leads_qualified", "leads_converted", "created", "won_count",
        "won_amount", "lost_count", "lost_amount", "activities_done", "open_amount",
        "open_count", "no_next_step", "unconverted",
    ]:  # fmt: skip
        assert sum(row[figure] for row in report["reps"]) == team[figure], figure


def test_win_loss_reasons_competitors_and_stages(sales, manager):
    report = metrics.win_loss_report(scope_for(manager))

    assert report["summary"] == {
        "won_count": 3,
        "won_amount": D("14500"),
        "lost_count": 1,
        "lost_amount": D("1200"),
        "win_rate": 0.75,
        "unconverted": 0,
    }
    [reason] = report["reasons"]
    assert (reason["lost_reason__name"], reason["count"], reason["amount"]) == (
        "Price",
        1,
        D("1200"),
    )
    [competitor] = report["competitors"]
    assert competitor["competitor"] == "Rival Co"
    assert (competitor["lost_count"], competitor["lost_amount"]) == (1, D("1200"))
    assert (competitor["won_count"], competitor["won_amount"]) == (1, D("8000"))
    [stage] = report["stages"]
    assert (stage["stage__name"], stage["count"], stage["amount"]) == ("Proposal", 1, D("1200"))


def test_velocity_from_the_history(sales, manager):
    scope = scope_for(manager, start=datetime.date(2025, 6, 1), end=datetime.date(2026, 5, 31))

    rows = {row["stage"].name: row for row in velocity_report(scope)["rows"]}

    assert list(rows) == ["Qualification", "Proposal", "Negotiation", "Contract"]
    # Stays in Qualification: Acme 9 days, Globex 15, Stark 10, Lead deal 10 (won);
    # Hooli is still there.
    qualification = rows["Qualification"]
    assert (qualification["entries"], qualification["ended"]) == (5, 4)
    assert qualification["avg_days"] == pytest.approx(11)
    assert qualification["move_on_rate"] == 1.0
    assert qualification["win_chance"] == 1.0  # Stark and Lead deal, both won
    assert qualification["days_to_close"] == pytest.approx((98 + 10) / 2)
    # Proposal: Acme 15, Umbrella 34 (lost), Stark 10, Wayne 19 (won, since reopened).
    proposal = rows["Proposal"]
    assert (proposal["entries"], proposal["ended"]) == (5, 4)
    assert proposal["avg_days"] == pytest.approx(19.5)
    assert proposal["move_on_rate"] == 0.75
    assert proposal["win_chance"] == 0.5  # Stark won, Umbrella lost; Wayne is open again
    assert proposal["days_to_close"] == pytest.approx(88)
    # Negotiation: Initech 50 (won), Stark 10; Acme still there.
    negotiation = rows["Negotiation"]
    assert negotiation["avg_days"] == pytest.approx(30)
    assert negotiation["days_to_close"] == pytest.approx((50 + 78) / 2)
    # Contract: Stark 68, Wonka 30.
    assert rows["Contract"]["avg_days"] == pytest.approx(49)
    assert rows["Contract"]["win_chance"] == 1.0


def test_stage_velocity_for_the_opportunity_page(sales, manager, other_rep):
    assert stage_velocity(sales.stage.p, user=manager) == {
        "won_deals": 1,
        "closed_deals": 2,
        "win_chance": 0.5,
        "days_to_close": pytest.approx(88),
    }
    # Charlie sees only his own open deal: nothing closed to learn from.
    assert stage_velocity(sales.stage.p, user=other_rep)["days_to_close"] is None


def test_slipped_deals_pushed_out_in_the_period(sales, manager):
    report = metrics.slipped_report(scope_for(manager))

    # Globex: 20 → 31 May and 31 May → 10 Jun; Acme: 30 Apr → 20 May. Hooli was pulled in,
    # Initech slipped in April, Tyrell is South's.
    assert [deal.name for deal in report["deals"]] == ["Globex", "Acme"]
    globex, acme = report["deals"]
    assert (globex.pushes, globex.days_pushed, globex.first_date) == (2, 21.0, "2026-05-20")
    assert (acme.pushes, acme.days_pushed) == (1, 20.0)
    assert globex.base_amount == D("4000")
    assert report["summary"] == {"deals": 2, "pushes": 3, "days_pushed": 41.0}


def test_deals_without_next_step_biggest_first(sales, manager):
    deals = list(metrics.deals_without_next_step(scope_for(manager)))

    # Globex's overdue task is a step, late: Globex is not among them.
    assert [deal.name for deal in deals] == ["Wayne", "Hooli"]


def test_a_rep_sees_only_their_own_numbers(sales, rep):
    scope = scope_for(rep)

    assert metrics.pipeline_report(scope)["totals"]["amount"] == D("20000")
    [alice] = metrics.team_performance_report(scope)["reps"]
    assert alice["who"] == rep
    assert metrics.win_loss_report(scope)["summary"]["won_amount"] == D("6500")
    assert metrics.forecast_report(scope)["rows"][0]["won"] == D("6500")


def test_other_team_never_counts(sales, other_rep):
    scope = scope_for(other_rep)

    assert metrics.pipeline_report(scope)["totals"] == {
        "count": 1,
        "amount": D("100000"),
        "weighted": D("50000"),
        "unconverted": 0,
    }
    assert [deal.name for deal in metrics.slipped_report(scope)["deals"]] == ["Tyrell"]
    assert metrics.lead_funnel_report(scope)["totals"]["leads"] == 1


def test_admin_sees_every_team(sales, admin_user):
    report = metrics.pipeline_report(scope_for(admin_user))

    assert report["totals"]["amount"] == D("120000")
    teams = metrics.team_performance_report(scope_for(admin_user))["teams"]
    assert [team["who"].name for team in teams] == ["North", "South"]


def test_team_and_pipeline_filters_narrow_the_admins_view(sales, admin_user, north, south):
    assert metrics.pipeline_report(scope_for(admin_user, team=south))["totals"]["amount"] == D(
        "100000"
    )
    assert metrics.pipeline_report(scope_for(admin_user, team=north))["totals"]["count"] == 4
    other = type(sales.pipeline).objects.create(name="Other")
    assert metrics.pipeline_report(scope_for(admin_user, pipeline=other))["rows"] == []
