"""A lead's status changes, as its part of the timeline (see ``crm.timeline``)."""

import datetime

from crm.models import User
from crm.timeline import TimelineEntry, TimelinePart, newest
from leads.models import Lead, LeadStatusChange


def lead_changes(
    record, *, user: User, today: datetime.date, limit: int | None
) -> TimelinePart | None:
    if not isinstance(record, Lead):
        return None
    changes = (
        LeadStatusChange.objects.filter(lead=record)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
    return TimelinePart(
        history=[
            TimelineEntry(at=change.changed_at, kind="lead_change", change=change)
            for change in newest(changes, limit)
        ]
    )
