"""Demo activities on the demo deals and leads. Idempotent: a record that already has
activities is left alone. The deals and leads are handed in by ``seed_demo``, which knows
them."""

import datetime

from django.utils import timezone

from activities.models import Activity

# (days from today, kind, subject, done?) for each open deal, cycling through these plans.
PLANS = [
    [(-6, "call", "Discovery call", True), (0, "meeting", "Product demo", False)],
    [(-3, "email", "Sent the proposal", True), (-1, "call", "Follow up on the proposal", False)],
    [(-20, "meeting", "Kick-off meeting", True)],
    [(-2, "call", "Budget check with finance", True), (3, "task", "Prepare the contract", False)],
]


def seed(*, deals, leads) -> None:
    """A plan of calls and meetings on each of ``deals``, and a qualification call on each of
    ``leads`` (QuerySets)."""
    today = timezone.localdate()
    for number, deal in enumerate(deals.filter(activities__isnull=True).order_by("pk")):
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
    for lead in leads.filter(activities__isnull=True).order_by("pk"):
        Activity.objects.create(
            lead=lead,
            owner=lead.owner,
            team=lead.team,
            kind=Activity.Kind.CALL,
            subject="Qualification call",
            due_date=today + datetime.timedelta(days=1),
        )
