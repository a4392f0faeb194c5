"""Won, lost and a move each say so in a toast with an Undo: with htmx on the board, as a plain
form without JavaScript, and refused once the deal changed since."""

import pytest
from playwright.sync_api import expect

from opportunities.models import Opportunity
from opportunities.services import move_opportunity
from tests.factories import make_lost_reason, make_opportunity


@pytest.fixture
def deal(rep, stages):
    return make_opportunity(name="Acme renewal", owner=rep, stage=stages[0])


def open_board(page, live_server, login, user):
    login(user)
    page.goto(f"{live_server.url}/opportunities/board/")
    expect(page.get_by_role("heading", name="Pipeline")).to_be_visible()


def act(page, deal_name: str, action: str):
    page.get_by_role("button", name=f"Actions for {deal_name}").click()
    page.get_by_role("button", name=action).click()


def test_undo_a_win_from_its_toast_brings_the_card_back(
    page, live_server, login, rep, stages, deal
):
    open_board(page, live_server, login, rep)
    card = page.locator(f"#deal-{deal.pk}")

    act(page, "Acme renewal", "Won")
    expect(card).to_have_count(0)
    toast = page.locator("[data-toast]", has_text="Acme renewal is won.")
    toast.get_by_role("button", name="Undo").click()

    expect(page.locator(f"#column-{stages[0].pk}").locator(f"#deal-{deal.pk}")).to_be_visible()
    expect(page.get_by_text("Acme renewal is open again.")).to_be_visible()
    expect(toast).to_have_count(0)  # used, gone
    deal.refresh_from_db()
    assert (deal.status, deal.probability, deal.closed_date) == ("open", 30, None)
    assert list(deal.changes.filter(field="status").values_list("new_value", flat=True)) == [
        "open",
        "won",
    ]


def test_undo_a_loss_and_a_move(page, live_server, login, rep, stages, deal):
    make_lost_reason(name="Too expensive")
    open_board(page, live_server, login, rep)

    act(page, "Acme renewal", "Proposal")
    page.locator("[data-toast]", has_text="moved to Proposal").get_by_role(
        "button", name="Undo"
    ).click()
    expect(page.get_by_text("Acme renewal is back in Qualification.")).to_be_visible()
    expect(page.locator(f"#column-{stages[0].pk} #deal-{deal.pk}")).to_be_visible()

    page.get_by_role("button", name="Actions for Acme renewal").click()
    page.get_by_role("link", name="Lost").click()
    page.get_by_label("Why was it lost?").select_option(label="Too expensive")
    page.get_by_role("button", name="Mark lost").click()
    page.locator("[data-toast]", has_text="is marked lost").get_by_role(
        "button", name="Undo"
    ).click()

    expect(page.locator(f"#column-{stages[0].pk} #deal-{deal.pk}")).to_be_visible()
    deal.refresh_from_db()
    assert (deal.stage, deal.status, deal.lost_reason) == (stages[0], "open", None)


def test_an_undo_after_the_deal_changed_is_refused_and_says_why(
    page, live_server, login, rep, teammate, stages, deal
):
    open_board(page, live_server, login, rep)
    act(page, "Acme renewal", "Proposal")
    toast = page.locator("[data-toast]", has_text="moved to Proposal")
    expect(toast).to_be_visible()

    # Meanwhile, the manager moves it on.
    move_opportunity(Opportunity.objects.get(pk=deal.pk), stage=stages[2], by=teammate)
    toast.get_by_role("button", name="Undo").click()

    refused = page.locator("[data-toast]", has_text="has changed since, so nothing was undone.")
    expect(refused).to_be_visible()
    expect(page.locator(f"#column-{stages[2].pk} #deal-{deal.pk}")).to_be_visible()
    assert Opportunity.objects.get(pk=deal.pk).stage == stages[2]


def test_undo_works_without_javascript(browser, live_server, login, rep, stages, deal):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(rep, on=page)
    page.goto(f"{live_server.url}/opportunities/board/")

    # The card's menu opens without a script; its stages are buttons of a plain form.
    page.get_by_role("button", name="Actions for Acme renewal").click()
    page.get_by_role("button", name="Negotiation").click()
    expect(page.get_by_text("Acme renewal moved to Negotiation.")).to_be_visible()
    page.get_by_role("button", name="Undo").click()

    expect(page.get_by_text("Acme renewal is back in Qualification.")).to_be_visible()
    assert page.url == f"{live_server.url}/opportunities/board/?owner={rep.pk}"  # the board again
    assert Opportunity.objects.get(pk=deal.pk).stage == stages[0]
    context.close()
