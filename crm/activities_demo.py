"""Demo activities on the demo deals and leads. Idempotent: a record that already has
activities is left alone."""

import datetime

from django.utils import timezone

from crm.demo import DemoPeople
from crm.models import Activity
from leads.models import Lead
from opportunities.models import Opportunity

# (days from today, kind, subject, done?) for each open deal, cycling through these plans.
PLANS = [
    [(-6, "call", "Discovery call", True), (0, "meeting", "Product demo", False)],
    [(-3, "email", "Sent the proposal", True), (-1, "call", "Follow up on the proposal", False)],
    [(-20, "meeting", "Kick-off meeting", True)],
    [(-2, "call", "Budget check with finance", True), (3, "task", "Prepare the contract", False)],
]


def seed(people: DemoPeople) -> None:
    today = timezone.localdate()
    deals = Opportunity.objects.open().filter(owner__in=people.reps, activities__isnull=True)
    for number, deal in enumerate(deals.order_by("pk")):
        for days, kind, subject, done in PLANS[number % len(PLANS)]:
            day = today + datetime.timedelta(days=days)
            Activity.objects.create(
                opportunity=deal,
                owner=deal.owner,
                team=deal.team,
                kind=kind,
                subject=subject,
                due_date=day,
                done_at=timezone.now() + datetime.timedelta(days=days) if done else None,
                done_by=deal.owner if done else None,
            )
    leads = Lead.objects.filter(owner__in=people.reps, status=Lead.Status.WORKING)
    for lead in leads.filter(activities__isnull=True).order_by("pk"):
        Activity.objects.create(
            lead=lead,
            owner=lead.owner,
            team=lead.team,
            kind=Activity.Kind.CALL,
            subject="Qualification call",
            due_date=today + datetime.timedelta(days=1),
        )
