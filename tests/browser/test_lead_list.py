from playwright.sync_api import expect

from leads.models import Lead
from tests.factories import make_lead


def test_rep_filters_sorts_and_works_leads_in_place(
    transactional_db, page, live_server, login, rep
):
    make_lead(first_name="Ana", last_name="Zapata", company_name="Zeta", owner=rep)
    make_lead(first_name="Bea", last_name="Alonso", company_name="Alfa", owner=rep)
    lost = make_lead(last_name="Gone", owner=rep, status=Lead.Status.DISQUALIFIED)
    login(rep)
    page.goto(f"{live_server.url}/leads/")
    page.evaluate("window.stillTheSamePage = true")
    rows = page.locator("#lead-list tbody tr")
    expect(rows).to_have_count(2)

    page.get_by_label("Search").fill("zap")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(f"{live_server.url}/leads/?q=zap")

    page.get_by_label("Search").fill("")
    expect(rows).to_have_count(2)  # the cleared search has come back before we sort
    page.get_by_role("link", name="Name").click()
    # Bea was added last, so she may be first already: wait for the sorted list itself.
    expect(page).to_have_url(f"{live_server.url}/leads/?sort=name")
    expect(rows.first).to_contain_text("Bea Alonso")
    page.get_by_label("Status").select_option("disqualified")
    expect(page).to_have_url(f"{live_server.url}/leads/?status=disqualified&sort=name")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(lost.last_name)

    rows.first.get_by_role("button", name="Reopen").click()
    expect(rows.first.locator(".lead-status")).to_have_text("New")
    expect(page.locator("#messages")).to_contain_text("is now new.")
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("[data-list]")).to_have_count(1)
    assert Lead.objects.get(pk=lost.pk).status == Lead.Status.NEW


def test_back_after_working_a_lead_shows_the_list_as_it_is_now(
    transactional_db, page, live_server, login, rep
):
    lead = make_lead(first_name="Ana", last_name="Zapata", owner=rep)
    login(rep)
    page.goto(f"{live_server.url}/leads/")
    row = page.locator(f"#lead-row-{lead.pk}")

    row.get_by_role("button", name="Start working").click()
    expect(row.locator(".lead-status")).to_have_text("Working")
    row.get_by_role("link", name="Ana Zapata").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Zapata")
    page.go_back()

    expect(page.locator(f"#lead-row-{lead.pk} .lead-status")).to_have_text("Working")
    expect(
        page.locator(f"#lead-row-{lead.pk}").get_by_role("button", name="Start working")
    ).to_have_count(0)
