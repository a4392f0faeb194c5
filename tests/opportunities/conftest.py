import pytest

from opportunities.models import Pipeline
from tests.factories import make_lost_reason, make_opportunity, make_pipeline


@pytest.fixture
def pipeline(db):
    """The default pipeline: Qualification (30 %), Proposal (60 %), Negotiation (90 %)."""
    Pipeline.objects.update(is_default=False)
    return make_pipeline(name="Sales", is_default=True)


@pytest.fixture
def stages(pipeline):
    return list(pipeline.stages.order_by("order"))


@pytest.fixture
def price(db):
    return make_lost_reason(name="Too expensive")


@pytest.fixture
def deal(rep, stages):
    """Alice's open deal in Qualification."""
    return make_opportunity(name="Acme renewal", owner=rep, stage=stages[0])


@pytest.fixture
def other_deal(other_rep, stages):
    """Charlie's deal, in the South team: invisible to North."""
    return make_opportunity(name="Southern secret", owner=other_rep, stage=stages[0])
