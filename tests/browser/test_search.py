from playwright.sync_api import expect

from tests.factories import make_company, make_lead


def test_rep_finds_a_lead_from_the_keyboard(transactional_db, page, live_server, login, rep):
    make_company(owner=rep, name="Jiménez Hermanos")
    lead = make_lead(owner=rep, first_name="Ana", last_name="Jiménez", company_name="Cobalt")
    login(rep)
    box = page.get_by_role("combobox", name="Find leads, contacts, companies and deals")

    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("JIMENEZ")
    options = page.get_by_role("listbox", name="Matches").get_by_role("option")
    expect(options.first).to_contain_text("Ana Jiménez")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status")).to_have_text("2 results")
    expect(page).to_have_url(f"{live_server.url}/")  # the dropdown leaves the address alone

    page.keyboard.press("ArrowDown")
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", f"global-search-leads-{lead.pk}")
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/leads/{lead.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Jiménez")


def test_enter_without_a_chosen_result_opens_the_results_page(
    transactional_db, page, live_server, login, rep
):
    make_lead(owner=rep, first_name="Ana", last_name="Jiménez")
    login(rep)

    page.keyboard.press("/")
    page.keyboard.type("jimenez")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/search/?q=jimenez")
    expect(page.locator("main")).to_contain_text("Ana Jiménez")
    expect(page.locator("main")).to_contain_text("See all 1")
