from tests.deal_fixtures import deal, other_deal, stage  # noqa: F401
