"""A small sales history, built by hand, whose every figure is worked out in the tests.

"Today" is Friday 15 May 2026 at noon (UTC). Pipeline "Sales": Qualification (20 %, pipeline),
Proposal (50 %, best case), Negotiation (80 %, commit), Contract (90 %, commit).

Rates to EUR: USD 0.90 from 1 Jan 2026 and 0.80 from 1 May; GBP 1.20 from 1 Jan and 1.10 from
10 May; CHF has no rate at all.

Alice (North):
- D1 Acme       EUR 10,000 open  Negotiation 80 %, closes 20 May; Q 1 Apr → P 10 Apr → N 25 Apr;
                close date pushed 30 Apr → 20 May on 2 May; a task due 18 May.
- D2 Globex     USD  5,000 open  Proposal 50 %, closes 10 Jun; Q 20 Apr → P 5 May; pushed
                20 May → 31 May (3 May) and 31 May → 10 Jun (8 May); an overdue task.
- D3 Initech    USD  2,000 won 20 Apr (expected 30 May), created in Negotiation 1 Mar;
                pushed 15 Apr → 20 Apr on 10 Apr (not in May).
- D4 Umbrella   GBP  1,000 lost 5 May (expected 25 May) at Proposal, "Price", to "Rival Co";
                created 1 Apr.
- D5 Hooli      CHF  3,000 open  Qualification, commit by the rep's override, closes 30 May;
                created 1 May; close date pulled in 30 Jun → 30 May on 6 May.
- D6 Stark      EUR  4,000 won 10 May; Q 1 Feb → P 11 Feb → N 21 Feb → Contract 3 Mar (three
                stage changes).
- D7 Wayne      EUR  6,000 open  Proposal 50 %, closes 15 Jul; created in Proposal 1 Mar, won
                20 Mar, reopened 1 Apr; a note and an undated task.
- D10 Lead deal EUR  2,500 won 14 May; created in Qualification 4 May from lead L1.
Bob (North):
- D8 Wonka      EUR  8,000 won 12 May in Contract, created 12 Apr, against "Rival Co".
Charlie (South):
- D9 Tyrell     EUR 100,000 open Proposal, closes 20 May; pushed 10 → 20 May on 4 May.

Leads: L1 Alice web (created 2 May, qualified 3 May, converted 4 May into D10), L2 Alice web
(6 May, working), L3 Alice referral (7 May, qualified 8 May), L4 Alice referral (10 Apr),
L5 Bob web (9 May), L6 Charlie web (3 May, qualified 4 May).
Activities done: Alice twice in May and once in April, Bob once in May, Charlie once in May.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from activities.models import Activity
from crm.models import ExchangeRate
from leads.models import Lead, LeadConversion, LeadSource, LeadStatusChange
from opportunities.models import (
    ForecastCategory,
    LostReason,
    Opportunity,
    OpportunityChange,
    Pipeline,
    Stage,
)
from opportunities.services import end_stays
from reports.filters import ReportScope
from tests.factories import (
    make_contact,
    make_lead,
    make_opportunity,
)

TODAY = datetime.date(2026, 5, 15)
UTC = datetime.UTC


def at(month: int, day: int, year: int = 2026) -> datetime.datetime:
    """Noon UTC on that day: every recorded event in the story happens at noon."""
    return datetime.datetime(year, month, day, 12, tzinfo=UTC)


NOW = at(5, 15)


def scope_for(user, **fields) -> ReportScope:
    """May 2026 as seen by ``user`` on 15 May at noon."""
    fields.setdefault("start", datetime.date(2026, 5, 1))
    fields.setdefault("end", datetime.date(2026, 5, 31))
    if not user.is_admin and not user.is_manager:
        fields.setdefault("rep", user)
    return ReportScope(user=user, today=TODAY, moment=NOW, **fields)


def _history(deal, *events):
    """Record ``(when, field, stage or value)`` rows; stage rows go from the previous stage."""
    previous = None
    changes = []
    for when, kind, value in events:
        change = OpportunityChange(opportunity=deal, field=kind, changed_at=when)
        if kind in ("created", "stage"):
            change.from_stage, change.to_stage = previous, value
            change.old_value = previous.name if previous else ""
            change.new_value = value.name
            previous = value
        elif kind == "status":
            change.old_value, change.new_value = value
        else:
            change.old_value, change.new_value = (d.isoformat() for d in value)
        changes.append(change)
    end_stays(deal, changes)
    for change in changes:
        change.save()


def _deal(owner, stage, created, **fields):
    fields.setdefault("probability", stage.probability)
    deal = make_opportunity(owner=owner, stage=stage, **fields)
    Opportunity.objects.filter(pk=deal.pk).update(created_at=created)
    deal.refresh_from_db()
    return deal


def _lead(owner, source, created, *changes, **fields):
    lead = make_lead(owner=owner, source=source, **fields)
    Lead.objects.filter(pk=lead.pk).update(created_at=created)
    for when, status in changes:
        LeadStatusChange.objects.create(lead=lead, to_status=status, changed_at=when)
    return lead


def _activity(owner, deal, *, done_at=None, due_date=None, kind=Activity.Kind.TASK):
    return Activity.objects.create(
        owner=owner,
        team=owner.team,
        subject="Follow up",
        kind=kind,
        opportunity=deal,
        done_at=done_at,
        due_date=due_date,
    )


@pytest.fixture
def sales(rep, teammate, other_rep, manager):
    pipeline = Pipeline.objects.create(name="Sales")

    def stage(name, order, probability, **category):
        return Stage.objects.create(
            pipeline=pipeline, name=name, order=order, probability=probability, **category
        )

    stage = SimpleNamespace(
        q=stage("Qualification", 1, 20),
        p=stage("Proposal", 2, 50, forecast_category=ForecastCategory.BEST_CASE),
        n=stage("Negotiation", 3, 80, forecast_category=ForecastCategory.COMMIT),
        c=stage("Contract", 4, 90, forecast_category=ForecastCategory.COMMIT),
    )
    for currency, rate, valid_from in [
        ("USD", "0.90", datetime.date(2026, 1, 1)),
        ("USD", "0.80", datetime.date(2026, 5, 1)),
        ("GBP", "1.20", datetime.date(2026, 1, 1)),
        ("GBP", "1.10", datetime.date(2026, 5, 10)),
    ]:
        ExchangeRate.objects.create(currency=currency, rate=Decimal(rate), valid_from=valid_from)
    # Sources and reasons the migrations seed, under the names these figures use.
    price = LostReason.objects.get_or_create(name="Price")[0]
    web = LeadSource.objects.update_or_create(code="web", defaults={"name": "Web"})[0]
    referral = LeadSource.objects.update_or_create(code="referral", defaults={"name": "Referral"})[
        0
    ]
    day = datetime.date

    d1 = _deal(
        rep, stage.n, at(4, 1), name="Acme", amount=Decimal("10000"),
        expected_close_date=day(2026, 5, 20),
    )  # fmt: skip
    _history(
        d1,
        (at(4, 1), "created", stage.q),
        (at(4, 10), "stage", stage.p),
        (at(4, 25), "stage", stage.n),
        (at(5, 2), "expected_close_date", (day(2026, 4, 30), day(2026, 5, 20))),
    )
    _activity(rep, d1, due_date=day(2026, 5, 18))

    d2 = _deal(
        rep, stage.p, at(4, 20), name="Globex", amount=Decimal("5000"), currency="USD",
        expected_close_date=day(2026, 6, 10),
    )  # fmt: skip
    _history(
        d2,
        (at(4, 20), "created", stage.q),
        (at(5, 5), "stage", stage.p),
        (at(5, 3), "expected_close_date", (day(2026, 5, 20), day(2026, 5, 31))),
        (at(5, 8), "expected_close_date", (day(2026, 5, 31), day(2026, 6, 10))),
    )
    _activity(rep, d2, due_date=day(2026, 5, 1))

    d3 = _deal(
        rep, stage.n, at(3, 1), name="Initech", amount=Decimal("2000"), currency="USD",
        status="won", closed_date=day(2026, 4, 20), expected_close_date=day(2026, 5, 30),
    )  # fmt: skip
    _history(
        d3,
        (at(3, 1), "created", stage.n),
        (at(4, 10), "expected_close_date", (day(2026, 4, 15), day(2026, 4, 20))),
        (at(4, 20), "status", ("open", "won")),
    )

    d4 = _deal(
        rep, stage.p, at(4, 1), name="Umbrella", amount=Decimal("1000"), currency="GBP",
        status="lost", closed_date=day(2026, 5, 5), expected_close_date=day(2026, 5, 25),
        lost_reason=price, competitor="Rival Co",
    )  # fmt: skip
    _history(d4, (at(4, 1), "created", stage.p), (at(5, 5), "status", ("open", "lost")))

    d5 = _deal(
        rep, stage.q, at(5, 1), name="Hooli", amount=Decimal("3000"), currency="CHF",
        forecast_category=ForecastCategory.COMMIT, expected_close_date=day(2026, 5, 30),
    )  # fmt: skip
    _history(
        d5,
        (at(5, 1), "created", stage.q),
        (at(5, 6), "expected_close_date", (day(2026, 6, 30), day(2026, 5, 30))),
    )

    d6 = _deal(
        rep, stage.c, at(2, 1), name="Stark", amount=Decimal("4000"), status="won",
        closed_date=day(2026, 5, 10), expected_close_date=day(2026, 5, 10),
    )  # fmt: skip
    _history(
        d6,
        (at(2, 1), "created", stage.q),
        (at(2, 11), "stage", stage.p),
        (at(2, 21), "stage", stage.n),
        (at(3, 3), "stage", stage.c),
        (at(5, 10), "status", ("open", "won")),
    )

    d7 = _deal(
        rep, stage.p, at(3, 1), name="Wayne", amount=Decimal("6000"),
        expected_close_date=day(2026, 7, 15),
    )  # fmt: skip
    _history(
        d7,
        (at(3, 1), "created", stage.p),
        (at(3, 20), "status", ("open", "won")),
        (at(4, 1), "status", ("won", "open")),
    )
    _activity(rep, d7, kind=Activity.Kind.NOTE)
    _activity(rep, d7)  # a task with no due date: not a next step

    d8 = _deal(
        teammate, stage.c, at(4, 12), name="Wonka", amount=Decimal("8000"), status="won",
        closed_date=day(2026, 5, 12), expected_close_date=day(2026, 5, 31),
        competitor="Rival Co",
    )  # fmt: skip
    _history(d8, (at(4, 12), "created", stage.c), (at(5, 12), "status", ("open", "won")))
    _activity(teammate, d8, done_at=at(5, 11))

    d9 = _deal(
        other_rep, stage.p, at(4, 1), name="Tyrell", amount=Decimal("100000"),
        expected_close_date=day(2026, 5, 20),
    )  # fmt: skip
    _history(
        d9,
        (at(4, 1), "created", stage.p),
        (at(5, 4), "expected_close_date", (day(2026, 5, 10), day(2026, 5, 20))),
    )
    _activity(other_rep, d9, done_at=at(5, 4))

    l1 = _lead(rep, web, at(5, 2), (at(5, 3), "qualified"), (at(5, 4), "converted"),
               status=Lead.Status.CONVERTED)  # fmt: skip
    d10 = _deal(
        rep, stage.q, at(5, 4), name="Lead deal", amount=Decimal("2500"), status="won",
        closed_date=day(2026, 5, 14), expected_close_date=day(2026, 5, 31), lead=l1,
    )  # fmt: skip
    _history(d10, (at(5, 4), "created", stage.q), (at(5, 14), "status", ("open", "won")))
    LeadConversion.objects.create(
        lead=l1, contact=make_contact(owner=rep), opportunity=d10, converted_at=at(5, 4)
    )
    _lead(rep, web, at(5, 6), (at(5, 7), "working"), status=Lead.Status.WORKING)
    _lead(rep, referral, at(5, 7), (at(5, 8), "qualified"), status=Lead.Status.QUALIFIED)
    _lead(rep, referral, at(4, 10))
    _lead(teammate, web, at(5, 9))
    _lead(other_rep, web, at(5, 3), (at(5, 4), "qualified"), status=Lead.Status.QUALIFIED)

    _activity(rep, d1, done_at=at(5, 4))
    _activity(rep, d2, done_at=at(5, 6))
    _activity(rep, d3, done_at=at(4, 15))

    return SimpleNamespace(
        pipeline=pipeline,
        stage=stage,
        deals=SimpleNamespace(
            d1=d1, d2=d2, d3=d3, d4=d4, d5=d5, d6=d6, d7=d7, d8=d8, d9=d9, d10=d10
        ),
        web=web,
        referral=referral,
        price=price,
    )
