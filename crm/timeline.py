"""The history of a lead, opportunity, contact or company: activities, notes and recorded
changes, newest first, in a constant number of queries.

The core knows none of what fills it. Each app that keeps history about records registers a
*source* from its ``AppConfig.ready()``: the activities app answers with a record's planned and
done activities, opportunities with a deal's recorded changes, leads with a lead's status
changes. ``build_timeline`` asks every source and merges what they answer.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

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
    kind: str  # "activity", "note", "deal_change", "lead_change" or "field_change"
    activity: object = None
    change: object = None


@dataclass
class TimelinePart:
    """What one source tells of a record.

    ``history`` holds the source's newest entries: ``limit`` of them and one more when older
    ones exist (see ``newest``), or all without a limit.
    """

    history: list[TimelineEntry] = field(default_factory=list)
    pending: list = field(default_factory=list)  # planned steps, in the order they are due
    badges: object = None  # the record annotated with its flags, by the source that flags it


# A source: (record, *, user, today, limit) -> TimelinePart, or None for a record it does not know.
Source = Callable[..., TimelinePart | None]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    """Add a source of history; apps call this once, from ``AppConfig.ready()``."""
    if source not in _sources:
        _sources.append(source)


@dataclass
class Timeline:
    """What ``includes/timeline_slot.html`` shows for one record."""

    record: object
    badges: object = None
    pending: list = field(default_factory=list)
    history: list[TimelineEntry] = field(default_factory=list)
    truncated: bool = False  # older entries exist beyond ``history``


def build_timeline(
    record, *, user, today: datetime.date | None = None, limit: int | None = HISTORY_SIZE
) -> Timeline:
    """Every source's part of the record's history, merged: each source's queries once.

    With ``limit``, every planned step and the ``limit`` newest entries of the history
    (``truncated`` says whether older ones exist); with None, everything.
    """
    today = today or timezone.localdate()
    timeline = Timeline(record=record)
    for source in _sources:
        part = source(record, user=user, today=today, limit=limit)
        if part is None:
            continue
        timeline.pending += part.pending
        if part.badges is not None:
            timeline.badges = part.badges
        timeline.history += part.history
    timeline.history.sort(key=lambda entry: entry.at, reverse=True)
    if limit is not None:
        timeline.truncated = len(timeline.history) > limit
        timeline.history = timeline.history[:limit]
    return timeline


def newest(queryset, limit: int | None):
    """The first ``limit`` rows and one more (to tell whether there are more), or all."""
    return queryset if limit is None else queryset[: limit + 1]


def recorded_changes(changes, *, kind: str, limit: int | None) -> TimelinePart:
    """A part made of a record's change rows (each with ``changed_at``), newest first."""
    changes = changes.order_by("-changed_at", "-pk")
    return TimelinePart(
        history=[
            TimelineEntry(at=change.changed_at, kind=kind, change=change)
            for change in newest(changes, limit)
        ]
    )
