"""Messages are toasts over the page: they push nothing down, a success hides itself, an error
stays until dismissed, and they come with a full page as with an HTMX answer."""

from playwright.sync_api import expect

from opportunities.models import Opportunity
from tests.factories import make_opportunity, make_stage


def heading_top(page) -> float:
    return page.get_by_role("heading", level=1).bounding_box()["y"]


def test_a_message_after_a_full_page_is_a_toast_that_hides_itself(
    transactional_db, page, live_server, login, rep
):
    deal = make_opportunity(name="Acme renewal", owner=rep, stage=make_stage(name="Proposal"))
    page.clock.install()
    login(rep)
    page.goto(f"{live_server.url}{deal.get_absolute_url()}")
    top = heading_top(page)

    page.get_by_role("button", name="Mark won").click()

    toast = page.locator("#messages [data-toast]")
    expect(toast).to_contain_text("Acme renewal is won.")
    assert heading_top(page) == top  # over the page, not above it
    assert toast.evaluate("t => getComputedStyle(t.parentElement).position") == "fixed"
    expect(page.locator("#messages")).to_have_attribute("aria-live", "polite")
    page.clock.fast_forward("00:20")
    expect(toast).to_have_count(0)


def test_an_error_stays_until_dismissed(transactional_db, page, live_server, login, rep):
    deal = make_opportunity(name="Acme renewal", owner=rep, stage=make_stage(name="Proposal"))
    page.clock.install()
    login(rep)
    page.goto(f"{live_server.url}{deal.get_absolute_url()}")
    Opportunity.objects.filter(pk=deal.pk).update(status="won")  # in another tab

    page.get_by_role("button", name="Mark won").click()

    toast = page.locator("#messages [data-toast]")
    expect(toast).to_contain_text("This deal is already closed.")
    page.clock.fast_forward("01:00")
    expect(toast).to_be_visible()
    toast.get_by_role("button", name="Dismiss").click()
    expect(toast).to_have_count(0)


def test_a_message_after_an_htmx_action_is_added_to_the_live_region(
    transactional_db, page, live_server, login, rep
):
    deal = make_opportunity(name="Acme renewal", owner=rep, stage=make_stage(name="Proposal"))
    login(rep)
    page.goto(f"{live_server.url}{deal.get_absolute_url()}")
    region = page.locator("#messages")
    region_id = region.evaluate("r => (r.dataset.seen = 'yes')")

    panel = page.locator(f"#timeline-opportunity-{deal.pk}")
    panel.get_by_role("link", name="Log").click()
    panel.get_by_label("Subject").fill("Called Pat")
    panel.get_by_role("button", name="Log").click()

    expect(region.locator("[data-toast]")).to_contain_text("Activity logged.")
    # The same region, listened to since the page loaded, not one swapped in.
    assert region.evaluate("r => r.dataset.seen") == region_id
