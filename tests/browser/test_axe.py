"""axe-core checks every main page as a rep, a manager and an admin would see it, on the demo
data: no serious or critical accessibility violation. axe's script ships in a Python package
(``axe-playwright-python``) and is evaluated by the test, never loaded from the network."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from crm.demo import DEMO_PASSWORD
from crm.models import Company, Contact, User
from leads.models import Lead
from opportunities.models import Opportunity
from tests.browser.pages import REPORTS

SEVERE = {"serious", "critical"}
# WCAG 2.x A and AA, the level the pages are held to; axe's best-practice rules on top cost as
# much time again and are advice.
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

EVERYONE = [
    "/",
    "/leads/",
    "/opportunities/",
    "/opportunities/board/",
    "/companies/",
    "/contacts/",
    "/activities/",
    *REPORTS,
    "/quotas/",
    "/search/?q=bod",
    "/accounts/profile/",
    "/api/tokens/",
]
MANAGERS = [
    "/settings/",
    "/settings/pipelines/",
    "/settings/teams/",
    "/settings/lists/lost-reasons/",
    "/leads/web/held/",
    "/leads/import/",
    "/mail/templates/",
    "/mail/templates/new/",
]


def records_of(user: User) -> list[str]:
    """The first lead, deal, company and contact the user may open."""
    pages = []
    for model, prefix in [
        (Lead, "/leads/"),
        (Opportunity, "/opportunities/"),
        (Company, "/companies/"),
        (Contact, "/contacts/"),
    ]:
        record = model.objects.visible_to(user).order_by("pk").first()
        pages += [f"{prefix}{record.pk}/", f"{prefix}{record.pk}/edit/"]
        if model is Opportunity:
            pages.append(f"/mail/new/?opportunity={record.pk}")
    return pages


def severe_violations(page) -> list[str]:
    results = Axe().run(page, options=RULES)
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}) at {node['target'][0]}: "
        + " ".join(node.get("failureSummary", "").split())
        for violation in results.response["violations"]
        if violation["impact"] in SEVERE
        for node in violation["nodes"][:3]
    ]


@pytest.mark.parametrize("username", ["alice", "manager", "admin"])
def test_no_main_page_has_a_serious_accessibility_violation(
    page, live_server, reference_data, username
):
    call_command("seed_demo", address="8000", stdout=io.StringIO())
    user = User.objects.get(username=username)
    pages = EVERYONE + records_of(user) + (MANAGERS if user.role != User.Role.REP else [])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")

    found = []
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        found += severe_violations(page)

    assert found == [], "\n".join(found)
