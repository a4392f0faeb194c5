"""A deal's recorded changes, as its part of the timeline (see ``crm.timeline``)."""

from crm.timeline import TimelinePart, recorded_changes
from opportunities.models import Opportunity, OpportunityChange


def deal_changes(record, *, user, today, limit: int | None) -> TimelinePart | None:
    if not isinstance(record, Opportunity):
        return None
    changes = OpportunityChange.objects.filter(opportunity=record).select_related(
        "changed_by", "from_stage", "to_stage"
    )
    return recorded_changes(changes, kind="deal_change", limit=limit)
