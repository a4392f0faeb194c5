"""The public lead form's limit per client address holds across app servers."""

import re

from leads.models import Lead
from tests.integration.conftest import WEB_LEADS_RATE_LIMIT, Visitor

FORM = "/leads/web/"


def send_form(visitor: Visitor, server: str, number: int):
    page = visitor.get(server, FORM)
    started = re.search(r'name="started" value="([^"]+)"', page.text).group(1)
    return visitor.post(
        server,
        FORM,
        {"name": f"Visitor {number}", "email": f"v{number}@example.com", "started": started},
    )


def test_the_form_limit_counts_across_both_servers(app_servers, transactional_db):
    visitor = Visitor(address="203.0.113.90")
    servers = [app_servers.a, app_servers.b] * WEB_LEADS_RATE_LIMIT

    accepted = [
        send_form(visitor, server, n) for n, server in enumerate(servers[:WEB_LEADS_RATE_LIMIT])
    ]
    refused = send_form(visitor, servers[WEB_LEADS_RATE_LIMIT], 99)
    someone_else = send_form(Visitor(address="198.51.100.40"), app_servers.b, 100)

    assert [response.status for response in accepted] == [302] * WEB_LEADS_RATE_LIMIT
    assert refused.status == 429
    assert "Too many messages from your address" in refused.text
    assert someone_else.status == 302
    assert Lead.objects.count() == WEB_LEADS_RATE_LIMIT + 1
