"""Every state change is checked for CSRF: a POST without the token to any URL of the app, by a
logged-in user, is refused before the view runs and changes nothing."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.test_get_is_safe import WRITE
from tests.url_walk import records, urls


@pytest.mark.parametrize("who", ["admin", "rep"])
def test_no_post_without_the_csrf_token_reaches_a_view(rep, manager, admin_user, who):
    sample = records(owner=rep, manager=manager, marker="North")
    client = Client(enforce_csrf_checks=True)
    client.force_login({"admin": admin_user, "rep": rep}[who])

    accepted = {}
    for url in urls(sample):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url.path, {"name": "Forged", "action": "qualify"})
        writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
        if response.status_code != 403 or b"CSRF" not in response.content or writes:
            accepted[url.path] = (response.status_code, writes)

    assert accepted == {}
