"""A lead's status changes, as its part of the timeline (see ``crm.timeline``)."""

from crm.timeline import TimelinePart, recorded_changes
from leads.models import Lead, LeadStatusChange


def lead_changes(record, *, user, today, limit: int | None) -> TimelinePart | None:
    if not isinstance(record, Lead):
        return None
    changes = LeadStatusChange.objects.filter(lead=record).select_related("changed_by")
    return recorded_changes(changes, kind="lead_change", limit=limit)
