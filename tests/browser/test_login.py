from playwright.sync_api import expect


def test_rep_logs_in_and_out(transactional_db, page, live_server, login, rep):
    login(rep)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice")

    page.get_by_role("button", name="Alice Rep").click()
    page.get_by_role("button", name="Log out").click()

    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
