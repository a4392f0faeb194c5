"""The history of a lead, opportunity, contact or company: activities, notes and recorded
changes, newest first, in a constant number of queries."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.db.models import Q
from django.utils import timezone

from crm.models import Activity, Contact, User
from crm.models.activities import subject_field, with_activity_badges
from leads.models import LeadStatusChange
from opportunities.models import Opportunity, OpportunityChange

# Entries of a record's history shown on its page; the rest on asking ("?history=all"). A
# customer of ten years has thousands, and a page must not grow with them.
HISTORY_SIZE = 50


def history_limit(request) -> int | None:
    """How many history entries the page shows: ``HISTORY_SIZE``, or all when asked.

    An HTMX request that draws a record's panel again (after a note or a call is saved in it)
    keeps the choice of the page it comes from, which its address (HX-Current-URL) holds.
    """
    asked = request.GET.get("history")
    htmx = getattr(request, "htmx", None)
    if asked is None and htmx and htmx.current_url:
        asked = parse_qs(urlsplit(htmx.current_url).query).get("history", [None])[0]
    return None if asked == "all" else HISTORY_SIZE


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "activity", "note", "deal_change" or "lead_change"
    activity: Activity | None = None
    change: OpportunityChange | LeadStatusChange | None = None


@dataclass
class Timeline:
    """What ``includes/timeline_slot.html`` shows for one record."""

    record: object
    badges: object  # the record annotated by with_activity_badges
    pending: list[Activity] = field(default_factory=list)
    history: list[TimelineEntry] = field(default_factory=list)
    truncated: bool = False  # older entries exist beyond ``history``

    @property
    def record_kind(self) -> str:
        return subject_field(self.record)


def _activities_for(record, user: User):
    """Activities about the record itself; a contact or company also shows those about its
    deals (and a company those about its contacts) that the user may see."""
    kind = subject_field(record)
    if kind in ("lead", "opportunity"):
        return Activity.objects.about(record)
    # One set of ids per way in, joined by UNION ALL: each part reads its own index. An OR of
    # the three conditions instead makes PostgreSQL scan every activity (2 s at a million).
    deals = Opportunity.objects.visible_to(user).filter(**{kind: record}).values("pk")
    parts = [
        Activity.objects.filter(**{kind: record}).values("pk"),
        Activity.objects.filter(opportunity__in=deals).values("pk"),
    ]
    if kind == "company":
        contacts = Contact.objects.visible_to(user).filter(company=record).values("pk")
        parts.append(Activity.objects.filter(contact__in=contacts).values("pk"))
    return Activity.objects.filter(pk__in=parts[0].union(*parts[1:], all=True))


def build_timeline(
    record, *, user: User, today: datetime.date | None = None, limit: int | None = HISTORY_SIZE
) -> Timeline:
    """Queries: the record's badges, its activities, and (deals and leads) its changes.

    With ``limit``, every planned activity and the ``limit`` newest entries of the history
    (``truncated`` says whether older ones exist); with None, everything.
    """
    today = today or timezone.localdate()
    model = type(record)
    badges = with_activity_badges(model.objects.filter(pk=record.pk), today=today).get()
    about = _activities_for(record, user)
    if limit is not None:
        # Every planned step, and the newest done ones (one more: are there older ones?),
        # in one query.
        newest_done = (
            about.filter(done_at__isnull=False).order_by("-done_at", "-pk").values("pk")
        )[: limit + 1]
        about = about.filter(Q(done_at__isnull=True) | Q(pk__in=newest_done))
    activities = list(about.select_related("owner", "done_by", "opportunity", "contact"))
    pending = sorted(
        (a for a in activities if a.is_pending),
        key=lambda a: (a.due_date or datetime.date.max, a.due_time or datetime.time.max, a.pk),
    )
    history = [
        TimelineEntry(at=a.done_at, kind="note" if a.is_note else "activity", activity=a)
        for a in activities
        if a.is_done
    ]
    truncated = limit is not None and len(history) > limit
    kind = subject_field(record)
    changes = None
    if kind == "opportunity":
        changes = OpportunityChange.objects.filter(opportunity=record).select_related(
            "changed_by", "from_stage", "to_stage"
        )
        entry_kind = "deal_change"
    elif kind == "lead":
        changes = LeadStatusChange.objects.filter(lead=record).select_related("changed_by")
        entry_kind = "lead_change"
    if changes is not None:
        changes = list(_newest(changes.order_by("-changed_at", "-pk"), limit))
        truncated = truncated or (limit is not None and len(changes) > limit)
        history += [TimelineEntry(at=c.changed_at, kind=entry_kind, change=c) for c in changes]
    history.sort(key=lambda entry: entry.at, reverse=True)
    if limit is not None:
        truncated = truncated or len(history) > limit
        history = history[:limit]
    return Timeline(
        record=record, badges=badges, pending=pending, history=history, truncated=truncated
    )


def _newest(queryset, limit: int | None):
    """The first ``limit`` rows and one more (to tell whether there are more), or all."""
    return queryset if limit is None else queryset[: limit + 1]
