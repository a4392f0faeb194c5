"""Lead fixtures: the seeded sources and reasons, a default pipeline, the team the web form
fills, leads in both teams."""

import pytest

from leads.models import DisqualifyReason
from leads.services import source_for
from tests.factories import make_lead, make_pipeline


@pytest.fixture
def web_source(db):
    return source_for("web")


@pytest.fixture
def no_budget(db):
    reason, _ = DisqualifyReason.objects.get_or_create(name="No budget")
    return reason


@pytest.fixture
def pipeline(db):
    return make_pipeline(name="Sales")


@pytest.fixture
def first_stage(pipeline):
    return pipeline.stages.order_by("order").first()


@pytest.fixture
def web_team(north, settings):
    """North takes the leads of the public web form."""
    settings.WEB_LEADS_TEAM = north.name
    return north


@pytest.fixture
def lead(rep):
    return make_lead(
        name="Jane Doe",
        company_name="Acme",
        email="Jane.Doe@acme.example",
        phone="+34 600 111 222",
        owner=rep,
    )


@pytest.fixture
def other_lead(other_rep):
    return make_lead(first_name="Sam", last_name="South", owner=other_rep)
