"""The strict Content-Security-Policy breaks nothing: a real browser reports no violation, and
no other error either (a missing icon, a script failing)."""

from playwright.sync_api import expect

PAGES = [
    "/",
    "/accounts/profile/",
    "/accounts/password_change/",
    "/admin/",
    "/admin/crm/user/",
    "/admin/crm/user/add/",
    "/companies/",
    "/companies/new/",
    "/contacts/",
    "/leads/",
    "/leads/new/",
    "/leads/import/",
    "/opportunities/",
    "/opportunities/new/",
    "/opportunities/board/",
    "/reports/",
    "/reports/pipeline/",
    "/reports/forecast/",
    "/reports/team/",
    "/reports/lead-funnel/",
    "/reports/win-loss/",
    "/reports/velocity/",
    "/reports/slipped/",
]


def test_pages_load_without_a_content_security_policy_violation(
    transactional_db, page, live_server, login, admin_user
):
    violations, errors = [], []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    login(admin_user)

    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations == []
    assert errors == []


def test_public_pages_load_without_any_console_error(transactional_db, page, live_server):
    errors = []
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )

    for path in ["/accounts/login/", "/leads/web/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")

    assert errors == []
