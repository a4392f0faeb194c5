"""The regions of a page that hold the activity forms, and what each sends back once saved.

A *slot* is one such region: ``timeline``, the activity panel of a detail page, is the
activities app's own; the apps whose pages have another region register it from their
``AppConfig.ready()`` (opportunities: ``card``, a board card's activity part; home: ``day``, My
day). The views in ``activities.views`` ask the slot for its element's id, the address it is
fetched again from, and its template and context.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from activities.models import subject_field
from crm.timeline import build_timeline, history_limit


@dataclass(frozen=True)
class Slot:
    name: str  # as the forms' ``?slot=`` names it
    template: str
    # The id of the element the slot renders into (see its template).
    element_id: Callable[[object], str]
    # Where the slot is fetched again (to cancel a form).
    url: Callable[[object], str]
    # What the template needs, prepared in a constant number of queries.
    context: Callable[[HttpRequest, object], dict]
    # The kinds of record ("opportunity", ...) it serves; empty: every kind.
    kinds: tuple[str, ...] = ()

    def serves(self, record) -> bool:
        return not self.kinds or subject_field(record) in self.kinds


def _timeline_context(request: HttpRequest, record) -> dict:
    return {
        "record": record,
        "activity_timeline": build_timeline(
            record, user=request.user, limit=history_limit(request)
        ),
    }


TIMELINE = Slot(
    name="timeline",
    template="includes/timeline_slot.html",
    element_id=lambda record: f"timeline-{subject_field(record)}-{record.pk}",
    url=lambda record: f"{reverse('activities:timeline')}?{subject_field(record)}={record.pk}",
    context=_timeline_context,
)

_slots: dict[str, Slot] = {TIMELINE.name: TIMELINE}


def register_slot(slot: Slot) -> None:
    """Add a region that activity forms can be opened in; apps call this from ``ready()``."""
    _slots[slot.name] = slot


def slot_named(name: str, record) -> Slot:
    """The slot asked for, or the timeline when it is unknown or does not serve the record."""
    slot = _slots.get(name)
    if slot is None or not slot.serves(record):
        return TIMELINE
    return slot
