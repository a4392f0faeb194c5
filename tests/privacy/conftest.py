"""Zoe Quimby, a customer of team North: first a lead, converted into a contact with a deal
named after her, with activities and a status change that name her. Another customer, Otto
Other, is kept by the same team, to show that nothing of him is touched or exported."""

from decimal import Decimal

import pytest

from leads.services import convert_lead, disqualify, reopen
from tests.factories import (
    make_activity,
    make_contact,
    make_disqualify_reason,
    make_lead,
    make_opportunity,
)

# The webhook receiver and endpoint, for the erasure's events.
from tests.webhooks.conftest import allow_private, database_backend, endpoint, receiver  # noqa: F401


@pytest.fixture
def zoe_lead(rep):
    lead = make_lead(
        name="Zoe Quimby",
        email="zoe.quimby@example.org",
        phone="+34 600 111 222",
        job_title="Buyer",
        notes="Zoe Quimby prefers mornings.",
        owner=rep,
    )
    disqualify(lead, reason=make_disqualify_reason(), note="Zoe Quimby said later", by=rep)
    reopen(lead, by=rep)
    make_activity(lead=lead, owner=rep, subject="Call Zoe Quimby", notes="zoe.quimby@example.org")
    return lead


@pytest.fixture
def zoe(zoe_lead, rep, stages):
    conversion = convert_lead(
        zoe_lead,
        by=rep,
        create_opportunity=True,
        opportunity_name="Quimby renewal",
        amount=Decimal("12500.00"),
        stage=stages[0],
    )
    contact = conversion.contact
    make_activity(
        contact=contact, owner=rep, subject="Meet Zoe", notes="Zoe Quimby's office, 3rd floor"
    )
    make_activity(opportunity=conversion.opportunity, owner=rep, subject="Send Quimby the proposal")
    return contact


@pytest.fixture
def otto(rep, stages):
    contact = make_contact(name="Otto Other", email="otto@example.org", owner=rep)
    make_activity(contact=contact, owner=rep, subject="Call Otto Other")
    make_opportunity(contact=contact, owner=rep, name="Other deal", stage=stages[0])
    return contact
