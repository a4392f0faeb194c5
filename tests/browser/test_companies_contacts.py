"""A rep records a new company and a contact there, then finds them again through the lists."""

from playwright.sync_api import expect

from crm.models import Company, Contact
from infra.rendering import SearchSelect
from opportunities.models import Opportunity, Pipeline
from tests.factories import make_company, make_contact, make_pipeline


def test_rep_creates_company_and_contact_then_finds_them(
    transactional_db, page, live_server, login, rep
):
    make_company(name="Atelier Lumière", owner=rep, industry="Retail")
    make_contact(first_name="Camille", last_name="Dubois", owner=rep)
    login(rep)

    # A new company, with the website pasted into the email domain.
    page.locator("#main-nav").get_by_role("link", name="Companies").click()
    page.get_by_role("link", name="New company").click()
    page.get_by_label("Name").fill("Verde Energia")
    page.get_by_label("Industry").fill("Energy")
    page.get_by_label("Email domain").fill("https://www.verdeenergia.it/contatti")
    page.get_by_label("Phone").fill("+39 02 8736 4410")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Verde Energia")
    expect(page.get_by_text("verdeenergia.it", exact=True)).to_be_visible()
    company = Company.objects.get(name="Verde Energia")
    assert company.email_domain == "verdeenergia.it"

    # A contact at that company, from the company's page.
    page.get_by_role("link", name="Add contact").click()
    expect(page.get_by_label("Company")).to_have_value(str(company.pk))
    page.get_by_label("First name").fill("Giulia")
    page.get_by_label("Last name").fill("Rossi")
    page.get_by_label("Email").fill("giulia.rossi@verdeenergia.it")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Giulia Rossi")
    assert Contact.objects.get(last_name="Rossi").company == company

    # Searching the company list swaps the table in place and pushes the URL.
    page.goto(f"{live_server.url}/companies/")
    page.evaluate("window.stillTheSamePage = true")
    rows = page.locator("#company-list tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("Search").press_sequentially("verde")
    expect(page).to_have_url(f"{live_server.url}/companies/?q=verde")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Verde Energia")

    page.get_by_label("Search").fill("")
    page.get_by_label("Industry").select_option("Retail")
    expect(page).to_have_url(f"{live_server.url}/companies/?industry=Retail")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Atelier Lumière")

    # Sorting keeps the filters; changing a filter keeps the sort.
    page.get_by_label("Industry").select_option("")
    expect(rows).to_have_count(2)
    page.locator("#company-list thead").get_by_role("link", name="Name").click()
    expect(page).to_have_url(f"{live_server.url}/companies/?sort=name")
    page.locator("#company-list thead").get_by_role("link", name="Name").click()
    expect(page).to_have_url(f"{live_server.url}/companies/?sort=-name")
    expect(rows.first).to_contain_text("Verde Energia")
    page.get_by_label("Industry").select_option("Energy")
    expect(page).to_have_url(f"{live_server.url}/companies/?industry=Energy&sort=-name")
    assert page.evaluate("window.stillTheSamePage") is True
    # Each swap replaced the region rather than nesting a new one inside it.
    expect(page.locator("[data-list]")).to_have_count(1)

    # The contact list filters by company.
    page.locator("#main-nav").get_by_role("link", name="Contacts").click()
    contact_rows = page.locator("#contact-list tbody tr")
    expect(contact_rows).to_have_count(2)
    page.get_by_label("Company").select_option(label="Verde Energia")
    expect(page).to_have_url(f"{live_server.url}/contacts/?company={company.pk}")
    expect(contact_rows).to_have_count(1)
    expect(contact_rows.first).to_contain_text("Giulia Rossi")
    expect(page.locator("[data-list]")).to_have_count(1)
    page.get_by_role("link", name="Giulia Rossi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giulia Rossi")


def test_rep_finds_the_company_of_a_new_deal_by_typing_its_name(
    transactional_db, page, live_server, login, rep
):
    Pipeline.objects.update(is_default=False)
    pipeline = make_pipeline(name="Sales", is_default=True)
    for number in range(SearchSelect.limit + 5):
        make_company(name=f"Company {number:03}", owner=rep)
    zephyr = make_company(name="Zephyr Wind", owner=rep)
    make_contact(first_name="Ana", last_name="Vento", company=zephyr, owner=rep)
    login(rep)
    page.goto(f"{live_server.url}/opportunities/new/")
    company = page.get_by_label("Company", exact=True)
    # Only the first companies by name are listed: Zephyr is found by typing.
    expect(company.locator(f'option[value="{zephyr.pk}"]')).to_have_count(0)

    search = page.get_by_label("Search companies by name")
    search.fill("zeph")
    search.press("Enter")  # searches at once; the deal is not sent half filled

    expect(company.locator(f'option[value="{zephyr.pk}"]')).to_have_count(1)
    company.select_option(str(zephyr.pk))
    # Its people come with it.
    expect(
        page.get_by_label("Primary contact").locator("option", has_text="Ana Vento")
    ).to_have_count(1)
    page.get_by_label("Primary contact").select_option(label="Ana Vento")
    page.locator("#id_name").fill("Zephyr turbines")
    page.locator("#id_pipeline").select_option(str(pipeline.pk))
    page.locator("#id_stage").select_option(str(pipeline.stages.order_by("order").first().pk))
    page.locator("#id_amount").fill("12000")
    page.locator("#id_expected_close_date").fill("2027-03-31")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Zephyr turbines")
    # The deal's page loads its panels after it shows: let them finish before the test ends.
    page.wait_for_load_state("networkidle")
    deal = Opportunity.objects.get(name="Zephyr turbines")
    assert (deal.company, deal.contact.last_name) == (zephyr, "Vento")


def test_enter_after_the_search_has_answered_adds_no_second_history_entry(
    transactional_db, page, live_server, login, rep
):
    make_company(name="Verde Energia", owner=rep)
    make_company(name="Atelier Lumière", owner=rep)
    login(rep)
    page.goto(f"{live_server.url}/companies/")
    entries = page.evaluate("history.length")
    rows = page.locator("#company-list tbody tr")
    page.get_by_label("Search").press_sequentially("verde")
    expect(page).to_have_url(f"{live_server.url}/companies/?q=verde")
    expect(rows).to_have_count(1)

    # Enter out of habit: the same search again, answered with the same address.
    with page.expect_response(lambda response: "q=verde" in response.url):
        page.get_by_label("Search").press("Enter")
    # A locator wait, not wait_for_function: under the strict CSP a polled string predicate
    # needs eval, which the page refuses.
    expect(page.locator(".htmx-request, .htmx-settling")).to_have_count(0)

    expect(rows).to_have_count(1)
    assert page.evaluate("history.length") == entries + 1
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/companies/")


def test_a_column_clicked_straight_after_typing_a_search_sorts_the_results(
    transactional_db, page, live_server, login, rep
):
    make_company(name="Hotel Miramar", owner=rep)
    make_company(name="Hotel Alba", owner=rep)
    make_company(name="Verde Energia", owner=rep)
    login(rep)
    page.goto(f"{live_server.url}/companies/")
    rows = page.locator("#company-list tbody tr")

    # Typing, then the column at once: leaving the box must not search again over the sort.
    page.get_by_label("Search").press_sequentially("hotel")
    page.locator("#company-list thead").get_by_role("link", name="Name").click()

    expect(page).to_have_url(f"{live_server.url}/companies/?q=hotel&sort=name")
    page.wait_for_timeout(800)  # any search still scheduled has landed by now
    expect(page).to_have_url(f"{live_server.url}/companies/?q=hotel&sort=name")
    expect(rows).to_have_count(2)
    assert rows.locator("td:first-child").all_inner_texts() == ["Hotel Alba", "Hotel Miramar"]


def test_a_new_company_with_a_legal_form_and_a_website_is_offered_the_existing_one(
    transactional_db, page, live_server, login, rep
):
    existing = make_company(name="Bodegas Almendral", email_domain="bodegasalmendral.es", owner=rep)
    login(rep)
    page.goto(f"{live_server.url}/companies/new/")
    page.get_by_label("Name").fill("Bodegas Almendral S.L.")
    page.get_by_label("Website").fill("https://www.bodegasalmendral.es")
    page.get_by_role("button", name="Save").click()

    offer = page.locator("[role=alert]", has_text="This may already exist")
    expect(offer).to_be_visible()
    link = offer.get_by_role("link", name="Bodegas Almendral", exact=True)
    expect(link).to_have_attribute("href", existing.get_absolute_url())
    expect(offer).to_contain_text("bodegasalmendral.es")
    assert Company.objects.count() == 1

    # It is another branch after all: created once the rep says so.
    page.get_by_label("None of these: create it anyway").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bodegas Almendral S.L.")
    created = Company.objects.exclude(pk=existing.pk).get()
    assert (created.website, created.website_domain) == (
        "https://www.bodegasalmendral.es",
        "bodegasalmendral.es",
    )
