import pytest

from tests.factories import make_lost_reason, make_opportunity


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
