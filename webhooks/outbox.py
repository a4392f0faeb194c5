"""Events written to the outbox in the transaction of the change, and queued after commit."""

import json

from django.db import transaction
from rest_framework.utils.encoders import JSONEncoder

from activities.models import Activity
from api.serializers import (
    ActivitySerializer,
    CompanySerializer,
    ContactSerializer,
    LeadSerializer,
    OpportunitySerializer,
)
from crm.models import Company, Contact
from leads.models import Lead
from opportunities.models import Opportunity
from webhooks.delivery import deliver_due, queue
from webhooks.models import EVENT_NAMES, Delivery, Endpoint, Event

# What each record is called in an event, and how the API renders it.
RENDERED = {
    Lead: ("lead", LeadSerializer),
    Opportunity: ("opportunity", OpportunitySerializer),
    Activity: ("activity", ActivitySerializer),
    Company: ("company", CompanySerializer),
    Contact: ("contact", ContactSerializer),
}


def render(record) -> tuple[str, dict]:
    record_type, serializer = RENDERED[type(record)]
    # Through JSON and back: dates, decimals and ids as the API writes them.
    data = json.loads(json.dumps(serializer(record).data, cls=JSONEncoder))
    return record_type, data


# Past this many deliveries at once (an import), one task sends whatever is due rather than
# one task being queued for each.
QUEUED_ONE_BY_ONE = 100


def record_event(name: str, records: list) -> None:
    """Write ``name`` for each of ``records`` to the outbox with a delivery for each endpoint
    that asks for it (an endpoint disabled for failing gets them too, to be sent once it is
    made active again), in the caller's transaction. Three queries (or one when no
    endpoint wants it), whatever the number of records and endpoints, plus what rendering the
    records reads."""
    if name not in EVENT_NAMES:
        raise ValueError(f"Unknown event {name!r}")
    endpoints = [endpoint for endpoint in Endpoint.objects.receiving() if name in endpoint.events]
    if not endpoints:
        return
    events = []
    for record in records:
        record_type, data = render(record)
        events.append(Event(name=name, record_type=record_type, record_id=record.pk, payload=data))
    events = Event.objects.bulk_create(events)
    deliveries = Delivery.objects.bulk_create(
        Delivery(event=event, endpoint=endpoint, record_key=event.record_key)
        for event in events
        for endpoint in endpoints
    )
    ids = [delivery.pk for delivery in deliveries]
    if len(ids) > QUEUED_ONE_BY_ONE:
        transaction.on_commit(lambda: deliver_due.enqueue())
    else:
        transaction.on_commit(lambda: queue(ids))
