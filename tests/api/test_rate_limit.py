"""Each token has its own allowance per window, counted in the shared cache."""

import pytest

LEADS = "/api/v1/leads/"


@pytest.fixture
def small_limit(settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW = 60


def test_past_the_limit_a_token_gets_429_with_retry_after(rep, api_client, small_limit):
    client = api_client(rep)

    statuses = [client.get(LEADS).status_code for _ in range(4)]
    refused = client.get(LEADS)

    assert statuses == [200, 200, 200, 429]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()


def test_another_token_has_its_own_allowance(rep, api_client, small_limit):
    first, second = api_client(rep), api_client(rep)

    for _ in range(3):
        first.get(LEADS)

    assert (first.get(LEADS).status_code, second.get(LEADS).status_code) == (429, 200)
