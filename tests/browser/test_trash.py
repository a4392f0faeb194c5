"""A rep deletes a deal by mistake, finds it in the trash and restores it with its activity."""

from playwright.sync_api import expect

from activities.models import Activity
from opportunities.models import Opportunity
from tests.factories import make_activity, make_opportunity


def test_rep_deletes_a_deal_then_restores_it_from_the_trash(
    transactional_db, page, live_server, login, rep, stages
):
    deal = make_opportunity(owner=rep, name="Cobalt renewal", stage=stages[0])
    make_activity(opportunity=deal, owner=rep, subject="Call Cobalt about the renewal")
    login(rep)

    page.goto(f"{live_server.url}{deal.get_absolute_url()}")
    page.get_by_role("link", name="Delete", exact=True).click()
    expect(page.get_by_text("1 activity")).to_be_visible()
    page.get_by_role("button", name="Delete", exact=True).click()

    expect(page.get_by_text("Opportunity “Cobalt renewal” was deleted.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Cobalt renewal")
    assert list(Opportunity.objects.all()) == []

    page.locator("#main-nav").get_by_role("button", name="Alice Rep").click()
    page.get_by_role("link", name="Trash").click()
    row = page.locator("[data-trashed]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Cobalt renewal")
    expect(row).to_contain_text("and 1 record that went with it")
    row.get_by_role("button", name="Restore").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cobalt renewal")
    expect(page.get_by_text("Task: Call Cobalt about the renewal")).to_be_visible()
    assert list(Opportunity.objects.all()) == [deal]
    assert Activity.objects.count() == 1
