"""A manager finds a company recorded twice and merges the copy into the original."""

from playwright.sync_api import expect

from crm.models import Company
from tests.factories import make_company, make_contact


def test_manager_merges_a_duplicate_company(
    transactional_db, page, live_server, login, manager, rep
):
    kept = make_company(name="Bodegas Almendral", owner=rep, email_domain="bodegasalmendral.es")
    twin = make_company(
        name="Bodegas Almendral S.L.", owner=rep, email_domain="bodegasalmendral.es"
    )
    make_contact(first_name="Lucía", last_name="Ortega", company=twin, owner=rep)
    login(manager)

    page.goto(f"{live_server.url}{kept.get_absolute_url()}")
    page.get_by_role("link", name="Merge a duplicate").click()
    page.get_by_role("link", name="Compare").click()
    expect(page.locator("[data-merge-fields]")).to_contain_text("Bodegas Almendral S.L.")
    page.get_by_role("button", name="Merge Bodegas Almendral S.L. into this record").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bodegas Almendral")
    expect(
        page.get_by_text("“Bodegas Almendral S.L.” was merged into “Bodegas Almendral”.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Lucía Ortega")).to_be_visible()
    assert list(Company.objects.values_list("pk", flat=True)) == [kept.pk]

    # The copy's old address opens the company that stayed.
    page.goto(f"{live_server.url}/companies/{twin.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bodegas Almendral")
