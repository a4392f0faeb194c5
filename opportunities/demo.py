"""Demo records for a fresh install. Idempotent: running it again changes nothing.

Deals are made through the services, so each has the history a real one would have; the
history is then spread over the past weeks so that time in stage looks believable.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.demo import DemoPeople
from crm.models import Company
from opportunities import services
from opportunities.models import LostReason, Opportunity, ended_stays

# name, company, rep (index), stage reached (index), status, amount, close in days
DEALS = [
    ("Fleet telematics pilot", "Transportes Ibéricos", 0, 0, "open", 18000, 45),
    ("Warehouse scanners", "Logística Norte", 0, 0, "open", 7500, 60),
    ("CRM seats for sales team", "Bodegas Sol", 1, 0, "open", 4200, 30),
    ("Point-of-sale upgrade", "Café Central", 1, 0, "open", 2900, 75),
    ("Energy monitoring", "Aceros Vascos", 0, 1, "open", 32000, 40),
    ("Support contract renewal", "Hotel Miramar", 1, 1, "open", 12000, 20),
    ("Data migration project", "Seguros Atlántico", 0, 1, "open", 26500, 55),
    ("Kiosk rollout, 12 stores", "Supermercados Día a Día", 1, 1, "open", 41000, -5),
    ("Analytics dashboards", "Clínica Salud+", 0, 2, "open", 15800, 25),
    ("Payroll integration", "Construcciones Ebro", 1, 2, "open", 9900, 15),
    ("Cloud backup, 3 sites", "Despacho Legal Ruiz", 0, 2, "open", 6400, -12),
    ("Field service app", "Agua Clara", 1, 2, "open", 22000, 35),
    ("ERP connector", "Textiles Levante", 0, 3, "open", 48000, 10),
    ("Three-year licence", "Bodegas Sol", 1, 3, "open", 27000, 7),
    ("Network refresh", "Universidad del Sur", 0, 3, "open", 63000, 21),
    ("Call centre headsets", "Seguros Atlántico", 1, 3, "open", 5400, -3),
    ("Loyalty programme", "Café Central", 0, 2, "won", 11000, -20),
    ("Online booking engine", "Hotel Miramar", 1, 3, "won", 19500, -35),
    ("Route planning", "Transportes Ibéricos", 0, 3, "won", 24000, -10),
    ("Lab sample tracking", "Clínica Salud+", 1, 1, "won", 8700, -50),
    ("Digital signage", "Supermercados Día a Día", 0, 1, "lost", 13000, -15),
    ("Security audit", "Despacho Legal Ruiz", 1, 2, "lost", 7200, -28),
    ("Predictive maintenance", "Aceros Vascos", 0, 3, "lost", 52000, -40),
    ("Tablet rollout", "Universidad del Sur", 1, 0, "lost", 16000, -60),
    ("Smart meters phase 2", "Agua Clara", 0, 2, "open", 37000, 90),
]

LOST_BECAUSE = [("Price", "Globex"), ("No budget", ""), ("Competitor", "Initech"), ("Timing", "")]

# Open deals whose customer asked for more time: the close date is pushed out by this many days,
# so that the slipped-deals report and the dashboard have something to show.
SLIPPED = {"Network refresh": 14, "Field service app": 21}


def _company(name: str, owner) -> Company:
    company = Company.objects.filter(name=name).first()
    if company is None:
        company = Company.objects.create(name=name, owner=owner, team=owner.team)
    return company


def _spread_history(opportunity: Opportunity, *, days_ago: int, now: datetime.datetime) -> None:
    """Space the deal's history rows a week apart, ending `days_ago` days ago.

    The deal is dated from its first row, so that its age and, once won, its sales cycle
    (creation to close) read like a real deal's rather than negative.
    """
    rows = list(opportunity.changes.order_by("pk"))
    # A probability row is written by the same move, win or loss as the row before it.
    steps = [
        row for position, row in enumerate(rows) if position == 0 or row.field != "probability"
    ]
    end = now - datetime.timedelta(days=days_ago)
    step = datetime.timedelta(days=7)
    when = end
    for row in rows:
        if row in steps:
            when = end - step * (len(steps) - 1 - steps.index(row))
        row.changed_at = when
    for begun, ending in ended_stays(rows):  # the stays end at the new dates too
        begun.left_at = ending.changed_at
    type(rows[0]).objects.bulk_update(rows, ["changed_at", "left_at"])
    Opportunity.objects.filter(pk=opportunity.pk).update(created_at=rows[0].changed_at)


def seed(people: DemoPeople) -> None:
    pipeline = services.default_pipeline()
    if pipeline is None:
        return
    stages = list(pipeline.stages.order_by("order"))
    reasons = {reason.name: reason for reason in LostReason.objects.all()}
    existing = set(Opportunity.objects.filter(pipeline=pipeline).values_list("name", flat=True))
    # One clock for the whole seed: dates and history agree even when it runs across midnight.
    now = timezone.now()
    today = timezone.localdate(now)
    lost_count = 0
    for position, (name, company, rep, reached, status, amount, days) in enumerate(DEALS):
        if name in existing:
            continue
        owner = people.reps[rep % len(people.reps)]
        opportunity = services.create_opportunity(
            by=owner,
            stage=stages[0],
            name=name,
            company=_company(company, owner),
            amount=Decimal(amount),
            expected_close_date=today + datetime.timedelta(days=days),
        )
        for stage in stages[1 : reached + 1]:
            services.move_opportunity(opportunity, stage=stage, by=owner)
        if name in SLIPPED:
            services.update_opportunity(
                opportunity,
                by=owner,
                version=opportunity.version,
                expected_close_date=opportunity.expected_close_date
                + datetime.timedelta(days=SLIPPED[name]),
            )
        if status == "won":
            services.mark_won(opportunity, by=owner, closed_date=today + datetime.timedelta(days))
        elif status == "lost":
            reason_name, competitor = LOST_BECAUSE[lost_count % len(LOST_BECAUSE)]
            lost_count += 1
            services.mark_lost(
                opportunity,
                reason=reasons.get(reason_name) or next(iter(reasons.values()), None),
                competitor=competitor,
                by=owner,
                closed_date=today + datetime.timedelta(days),
            )
        # A closed deal's history ends on the day it closed.
        _spread_history(opportunity, days_ago=-days if status != "open" else position % 5, now=now)
