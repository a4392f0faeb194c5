"""A stage and two open deals, one in each team: what the activity and My day tests work on."""

import pytest

from tests.factories import make_opportunity, make_stage


@pytest.fixture
def stage(db):
    return make_stage(name="Proposal", stale_after_days=14)


@pytest.fixture
def deal(rep, stage):
    """Alice's open deal."""
    return make_opportunity(name="Acme renewal", owner=rep, stage=stage)


@pytest.fixture
def other_deal(other_rep, stage):
    """Charlie's deal, in team South: it does not exist for team North."""
    return make_opportunity(name="Southern deal", owner=other_rep, stage=stage)
