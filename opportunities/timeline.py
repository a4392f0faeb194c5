"""A deal's recorded changes, as its part of the timeline (see ``crm.timeline``)."""

import datetime

from crm.models import User
from crm.timeline import TimelineEntry, TimelinePart, newest
from opportunities.models import Opportunity, OpportunityChange


def deal_changes(
    record, *, user: User, today: datetime.date, limit: int | None
) -> TimelinePart | None:
    if not isinstance(record, Opportunity):
        return None
    changes = (
        OpportunityChange.objects.filter(opportunity=record)
        .select_related("changed_by", "from_stage", "to_stage")
        .order_by("-changed_at", "-pk")
    )
    return TimelinePart(
        history=[
            TimelineEntry(at=change.changed_at, kind="deal_change", change=change)
            for change in newest(changes, limit)
        ]
    )
