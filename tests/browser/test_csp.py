"""The strict Content-Security-Policy breaks nothing: a real browser reports no violation."""

from playwright.sync_api import expect

PAGES = [
    "/",
    "/accounts/profile/",
    "/accounts/password_change/",
    "/admin/",
    "/admin/crm/user/",
    "/admin/crm/user/add/",
]


def test_pages_load_without_a_content_security_policy_violation(
    transactional_db, page, live_server, login, admin_user
):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    login(admin_user)

    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations == []
