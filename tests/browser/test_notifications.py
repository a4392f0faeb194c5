"""The bell in a real browser: a lead assigned to you shows on it, and opening the notification
takes you to the lead and empties the bell."""

from playwright.sync_api import expect

from leads.services import update_lead
from tests.factories import make_lead


def test_the_bell_opens_the_lead_assigned_to_you(
    transactional_db, page, live_server, login, rep, manager
):
    lead = make_lead(first_name="Lia", last_name="Verde", owner=manager)
    update_lead(lead, by=manager, owner=rep)

    login(rep)
    bell = page.locator("[data-bell]")
    expect(bell).to_contain_text("Notifications: 1 unread")
    bell.click()

    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    page.get_by_role("button", name="Mia Manager assigned the lead Lia Verde to you.").click()

    page.wait_for_url(f"{live_server.url}{lead.get_absolute_url()}")
    expect(page.locator("[data-bell]")).to_contain_text("Notifications: 0 unread")
    expect(page.locator("[data-bell] .badge")).to_have_count(0)
