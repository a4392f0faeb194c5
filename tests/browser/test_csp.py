"""The strict Content-Security-Policy breaks nothing: a real browser reports no violation on any
main page, for a rep, a manager and an admin, once the page and what htmx loads into it are in."""

import pytest
from playwright.sync_api import expect

from leads.models import LeadImport
from tests.browser.pages import REPORTS
from tests.url_walk import records

ADMIN_PAGES = [
    "/",
    "/accounts/profile/",
    "/accounts/password_change/",
    "/admin/",
    "/admin/crm/user/",
    "/admin/crm/user/add/",
    "/admin/crm/company/",
    "/admin/leads/lead/",
    "/admin/leads/websubmission/",
    "/admin/opportunities/opportunity/",
    "/reports/",
]


def main_pages(sample: dict) -> list[str]:
    company, contact, lead = sample["company"], sample["contact"], sample["lead"]
    deal, activity = sample["opportunity"], sample["activity"]
    return [
        "/",
        "/accounts/profile/",
        "/accounts/password_change/",
        "/api/tokens/",
        "/companies/",
        "/companies/new/",
        f"/companies/{company.pk}/",
        f"/companies/{company.pk}/edit/",
        f"/companies/{company.pk}/delete/",
        "/contacts/",
        "/contacts/new/",
        f"/contacts/{contact.pk}/",
        f"/contacts/{contact.pk}/edit/",
        "/leads/",
        "/leads/new/",
        f"/leads/{lead.pk}/",
        f"/leads/{lead.pk}/edit/",
        f"/leads/{lead.pk}/disqualify/",
        f"/leads/{lead.pk}/convert/",
        "/opportunities/",
        "/opportunities/board/",
        "/opportunities/new/",
        f"/opportunities/{deal.pk}/",
        f"/opportunities/{deal.pk}/edit/",
        f"/opportunities/{deal.pk}/quick-edit/",
        f"/opportunities/{deal.pk}/lost/",
        f"/activities/log/?opportunity={deal.pk}",
        f"/activities/schedule/?lead={lead.pk}",
        f"/activities/{activity.pk}/complete/",
        *REPORTS,
        "/quotas/",
    ]


def import_pages(sample: dict, manager) -> list[str]:
    uploaded = LeadImport.objects.create(
        created_by=manager,
        owner=manager,
        team=manager.managed_teams.first(),
        file_name="people.csv",
        content="Name,Email\nJane Doe,jane@x.example\n",
        headers=["Name", "Email"],
        mapping={"0": "full_name", "1": "email"},
        total=1,
    )
    return [
        "/leads/import/",
        f"/leads/import/{uploaded.pk}/",
        f"/leads/import/{sample['lead_import'].pk}/",
        "/leads/web/held/",
    ]


def settings_pages(sample: dict) -> list[str]:
    stage, team = sample["stage"], sample["team"]
    return [
        "/settings/",
        "/settings/pipelines/",
        f"/settings/pipelines/{stage.pipeline_id}/",
        f"/settings/pipelines/{stage.pipeline_id}/stages/new/",
        f"/settings/stages/{stage.pk}/edit/",
        f"/settings/stages/{stage.pk}/delete/",
        "/settings/lists/lost-reasons/",
        f"/settings/lists/lost-reasons/{sample['lost_reason'].pk}/",
        "/settings/teams/",
        f"/settings/teams/{team.pk}/",
    ]


@pytest.fixture
def violations(page) -> list[str]:
    """The CSP violations the browser logs, each with the page it was on."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def visit_all(page, live_server, paths: list[str]) -> None:
    """Open every path and wait for what htmx loads into it."""
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_main_pages_load_without_a_content_security_policy_violation(
    transactional_db, page, live_server, login, violations, rep, manager, who
):
    sample = records(owner=rep, manager=manager, marker="North")
    paths = main_pages(sample)
    if who == "manager":
        paths += import_pages(sample, manager) + settings_pages(sample)
    login({"rep": rep, "manager": manager}[who])

    visit_all(page, live_server, paths)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations == []


def test_public_and_admin_pages_load_without_a_content_security_policy_violation(
    transactional_db, page, live_server, login, violations, admin_user
):
    visit_all(page, live_server, ["/accounts/login/", "/leads/web/"])
    login(admin_user)

    visit_all(page, live_server, ADMIN_PAGES)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations == []


def test_a_violation_would_be_seen(transactional_db, page, live_server, violations):
    page.goto(f"{live_server.url}/accounts/login/")

    page.evaluate("document.body.setAttribute('style', 'color: red')")

    assert len(violations) == 1
    assert "inline style" in violations[0]


def test_the_api_reference_renders_from_its_own_files_within_the_policy(
    transactional_db, page, live_server, login, violations, rep
):
    login(rep)

    page.goto(f"{live_server.url}/api/v1/docs/")

    # Swagger UI has read the schema and listed the resources.
    expect(page.locator(".opblock-tag", has_text="leads").first).to_be_visible(timeout=15000)
    assert violations == []
