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
from webhooks.delivery import queue
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


def record_event(name: str, record) -> None:
    """Write ``name`` for ``record`` to the outbox with a delivery for each active endpoint
    that asks for it, in the caller's transaction. Three queries (or one when no endpoint
    wants it), whatever the number of endpoints, plus what rendering the record reads."""
    if name not in EVENT_NAMES:
        raise ValueError(f"Unknown event {name!r}")
    endpoints = [
        endpoint for endpoint in Endpoint.objects.filter(active=True) if name in endpoint.events
    ]
    if not endpoints:
        return
    record_type, data = render(record)
    event = Event.objects.create(
        name=name, record_type=record_type, record_id=record.pk, payload=data
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(event=event, endpoint=endpoint, record_key=event.record_key)
        for endpoint in endpoints
    )
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: queue(ids))
