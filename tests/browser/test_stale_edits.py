"""Two people have the same company's edit page open; the second to save is told what the first
changed, keeps what they typed, and saves again without undoing the first one's change."""

from playwright.sync_api import expect

from crm.models import Company
from tests.factories import make_company


def test_the_second_save_on_the_same_company_shows_what_changed_meanwhile(
    transactional_db, page, browser, live_server, login, rep, manager
):
    company = make_company(name="Acme", owner=rep, phone="+34612345678", notes="")
    edit_url = f"{live_server.url}/companies/{company.pk}/edit/"
    login(rep)
    page.goto(edit_url)

    # The manager, in another browser, opens the same page and saves a new phone number.
    managers_context = browser.new_context()
    managers_page = login(manager, on=managers_context.new_page())
    managers_page.goto(edit_url)
    managers_page.get_by_label("Phone").fill("+34 699 000 111")
    managers_page.get_by_role("button", name="Save").click()
    expect(managers_page.get_by_role("heading", level=1)).to_have_text("Acme")
    managers_context.close()

    # The rep, on the page opened before, saves notes.
    page.get_by_label("Notes").fill("Met at the fair")
    page.get_by_role("button", name="Save").click()

    meanwhile = page.locator("[data-changed-meanwhile]")
    expect(meanwhile).to_contain_text("Someone else saved this record while you were editing it.")
    expect(meanwhile.locator("[data-changed-field]")).to_have_count(1)
    expect(meanwhile.locator("[data-changed-field]")).to_contain_text("Phone")
    expect(meanwhile.locator("[data-changed-field]")).to_contain_text("+34699000111")
    expect(page.get_by_label("Notes")).to_have_value("Met at the fair")
    assert Company.objects.values_list("phone", "notes").get() == ("+34699000111", "")

    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    assert Company.objects.values_list("phone", "notes", "version").get() == (
        "+34699000111",
        "Met at the fair",
        3,
    )
