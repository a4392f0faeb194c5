"""The pipeline board in a real browser: compact cards, drag and drop, each card's menu (move
to another stage, won, lost with a reason) by mouse, keyboard and touch."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity
from opportunities.models import Opportunity
from opportunities.views.board import FIRST_CARDS
from tests.factories import (
    make_activity,
    make_company,
    make_lost_reason,
    make_opportunity,
)

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def deals(rep, stages):
    return [
        make_opportunity(name="Acme renewal", owner=rep, stage=stages[0], amount=Decimal("1000")),
        make_opportunity(name="Globex upsell", owner=rep, stage=stages[1], amount=Decimal("500")),
    ]


def open_board(page, live_server, login, user):
    login(user)
    page.goto(f"{live_server.url}/opportunities/board/")
    expect(page.get_by_role("heading", name="Pipeline")).to_be_visible()


def column(page, stage):
    return page.locator(f"#column-{stage.pk}")


def menu_of(page, deal_name: str):
    """Open the menu of the deal's card; returns the card."""
    card = page.locator("[data-deal]").filter(has=page.get_by_role("link", name=deal_name))
    card.get_by_role("button", name=f"Actions for {deal_name}").click()
    return card


def test_drag_a_card_to_another_stage_and_it_stays_after_a_reload(
    page, live_server, login, rep, stages, deals
):
    open_board(page, live_server, login, rep)
    card = page.locator(f"#deal-{deals[0].pk}")

    # Grab the card by its edge, as a person would, not by a control in its middle.
    card.drag_to(column(page, stages[1]).locator("[data-cards]"), source_position={"x": 4, "y": 4})

    expect(column(page, stages[1]).locator("[data-count]")).to_have_text("2")
    expect(column(page, stages[0]).locator("[data-count]")).to_have_text("0")
    page.reload()
    expect(column(page, stages[1]).locator(f"#deal-{deals[0].pk}")).to_be_visible()
    expect(column(page, stages[1]).locator("[data-amount]")).to_have_text("1,500.00")
    expect(column(page, stages[1]).locator("[data-weighted]")).to_have_text("900.00")
    expect(column(page, stages[0]).locator("[data-amount]")).to_have_text("0.00")
    assert Opportunity.objects.get(pk=deals[0].pk).stage == stages[1]


def test_move_a_card_with_its_move_to_menu(page, live_server, login, rep, stages, deals):
    open_board(page, live_server, login, rep)

    card = menu_of(page, "Acme renewal")
    moves = card.get_by_role("group", name="Move to…")
    expect(moves.get_by_role("button", name="Qualification")).to_be_disabled()
    moves.get_by_role("button", name="Negotiation").click()

    moved = column(page, stages[2]).locator(f"#deal-{deals[0].pk}")
    expect(moved).to_be_visible()
    expect(column(page, stages[2]).locator("[data-weighted]")).to_have_text("900.00")
    expect(page.get_by_text("Acme renewal moved to Negotiation.")).to_be_visible()
    expect(moved.locator("[data-card-menu]")).not_to_have_attribute("open", "")
    assert Opportunity.objects.get(pk=deals[0].pk).stage == stages[2]


def test_the_keyboard_opens_a_menu_moves_the_card_once_and_follows_it(
    page, live_server, login, rep, stages, deals
):
    open_board(page, live_server, login, rep)
    moves = []
    page.on("request", lambda request: "/move/" in request.url and moves.append(request.url))
    toggle = page.get_by_role("button", name="Actions for Acme renewal")

    toggle.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")  # the first stage it can go to: Proposal
    page.keyboard.press("ArrowDown")  # Negotiation
    expect(page.get_by_role("button", name="Negotiation")).to_be_focused()
    page.keyboard.press("Enter")

    expect(column(page, stages[2]).locator(f"#deal-{deals[0].pk}")).to_be_visible()
    expect(page.get_by_text("Acme renewal moved to Negotiation.")).to_be_visible()
    # The focus stays with the deal, now in its new column.
    expect(page.get_by_role("button", name="Actions for Acme renewal")).to_be_focused()
    assert len(moves) == 1
    assert Opportunity.objects.get(pk=deals[0].pk).changes.filter(field="stage").count() == 1


def test_escape_closes_a_menu_and_gives_the_focus_back(
    page, live_server, login, rep, stages, deals
):
    open_board(page, live_server, login, rep)
    toggle = page.get_by_role("button", name="Actions for Acme renewal")
    menu = page.locator(f"#deal-{deals[0].pk} [data-card-menu]")

    toggle.focus()
    page.keyboard.press("ArrowDown")
    expect(menu).to_have_attribute("open", "")
    expect(page.get_by_role("button", name="Proposal")).to_be_focused()
    page.keyboard.press("Escape")

    expect(menu).not_to_have_attribute("open", "")
    expect(toggle).to_be_focused()


def test_a_touch_screen_moves_a_card_with_taps(browser, live_server, login, rep, stages, deals):
    context = browser.new_context(has_touch=True, is_mobile=True, viewport=PHONE)
    page = context.new_page()
    login(rep, on=page)
    page.goto(f"{live_server.url}/opportunities/board/")

    page.get_by_role("button", name="Actions for Acme renewal").tap()
    page.get_by_role("group", name="Move to…").get_by_role("button", name="Proposal").tap()

    expect(column(page, stages[1]).locator("[data-count]")).to_have_text("2")
    expect(column(page, stages[1]).locator(f"#deal-{deals[0].pk}")).to_be_attached()
    assert Opportunity.objects.get(pk=deals[0].pk).stage == stages[1]
    context.close()


def test_a_laptop_screen_shows_a_column_of_compact_cards(page, live_server, login, rep, stages):
    today = timezone.localdate()
    for number in range(FIRST_CARDS + 2):
        deal = make_opportunity(
            name=f"Northwind expansion {number:02}",
            company=make_company(name=f"Northwind Traders {number}", owner=rep),
            owner=rep,
            stage=stages[0],
            amount=Decimal("125000"),
        )
        if number % 2:
            make_activity(
                opportunity=deal,
                owner=rep,
                kind="call",
                subject="Call the buyer about the price",
                due_date=today + datetime.timedelta(days=2),
            )
    page.set_viewport_size(LAPTOP)
    open_board(page, live_server, login, rep)
    cards = column(page, stages[0]).locator("[data-deal]")
    expect(cards).to_have_count(FIRST_CARDS)

    boxes = [cards.nth(number).bounding_box() for number in range(FIRST_CARDS)]
    heights = [box["height"] for box in boxes]
    seen = [box for box in boxes if box["y"] + box["height"] <= LAPTOP["height"]]

    print(f"\n{len(seen)} cards seen at 1366×900, {min(heights):.1f}–{max(heights):.1f} px tall")
    assert len(seen) >= 6
    assert max(heights) < 80
    # "Load more" stays out of view: the columns do not ask for more cards by themselves.
    load_more = column(page, stages[0]).get_by_role("link", name="Load more").bounding_box()
    assert load_more["y"] > LAPTOP["height"]
    expect(cards).to_have_count(FIRST_CARDS)
    # Each card still says what matters; its actions wait in its menu.
    first = cards.first
    expect(first).to_contain_text("Northwind Traders 0")
    expect(first).to_contain_text("125,000.00 EUR")
    expect(first.locator("[data-card-menu]")).not_to_have_attribute("open", "")
    expect(first.get_by_text("No next step")).to_be_visible()
    expect(cards.nth(1).locator("[data-next-activity]")).to_contain_text("Call the buyer")
    expect(cards.nth(1).locator(".owner-initials")).to_have_text("AR")


def test_mark_a_deal_lost_with_a_reason(page, live_server, login, rep, stages, deals):
    reason = make_lost_reason(name="Too expensive")
    open_board(page, live_server, login, rep)

    card = menu_of(page, "Acme renewal")
    card.get_by_role("link", name="Lost").click()
    expect(card.get_by_label("Why was it lost?")).to_be_focused()
    card.get_by_label("Why was it lost?").select_option(label="Too expensive")
    card.get_by_label("Competitor").fill("Initech")
    card.get_by_role("button", name="Mark lost").click()

    expect(card).to_have_count(0)
    expect(column(page, stages[0]).locator("[data-count]")).to_have_text("0")
    deal = Opportunity.objects.get(pk=deals[0].pk)
    assert (deal.status, deal.lost_reason, deal.competitor) == ("lost", reason, "Initech")


def test_load_more_brings_the_rest_of_a_long_column(page, live_server, login, rep, stages):
    for number in range(30):
        make_opportunity(name=f"Deal {number:02}", owner=rep, stage=stages[0])
    open_board(page, live_server, login, rep)
    cards = column(page, stages[0]).locator("[data-deal]")
    expect(cards).to_have_count(FIRST_CARDS)

    # A click that does not scroll: scrolling would load the cards on its own (see below).
    column(page, stages[0]).get_by_role("link", name="Load more").dispatch_event("click")

    expect(cards).to_have_count(30)
    expect(column(page, stages[0]).get_by_role("link", name="Load more")).to_have_count(0)
    names = cards.locator(".deal-name").all_inner_texts()
    assert names == [f"Deal {number:02}" for number in range(30)]


def test_a_long_column_loads_more_cards_when_its_end_scrolls_into_view(
    page, live_server, login, rep, stages
):
    for number in range(30):
        make_opportunity(name=f"Deal {number:02}", owner=rep, stage=stages[0])
    open_board(page, live_server, login, rep)
    cards = column(page, stages[0]).locator("[data-deal]")
    expect(cards).to_have_count(FIRST_CARDS)

    column(page, stages[0]).get_by_role("link", name="Load more").scroll_into_view_if_needed()

    expect(cards).to_have_count(30)


def test_a_moved_card_shows_once_when_its_new_column_loads_more(
    page, live_server, login, rep, stages
):
    today = timezone.localdate()
    for number in range(FIRST_CARDS + 4):
        make_opportunity(
            name=f"Deal {number:02}",
            owner=rep,
            stage=stages[1],
            expected_close_date=today + datetime.timedelta(days=number + 1),
        )
    late = make_opportunity(
        name="Late deal",
        owner=rep,
        stage=stages[0],
        expected_close_date=today + datetime.timedelta(days=60),
    )
    open_board(page, live_server, login, rep)
    cards = column(page, stages[1]).locator("[data-deal]")

    menu_of(page, "Late deal").get_by_role("button", name=stages[1].name).click()

    expect(column(page, stages[1]).locator("[data-count]")).to_have_text(str(FIRST_CARDS + 5))
    expect(cards.first).to_have_attribute("data-deal", str(late.pk))
    expect(cards).to_have_count(FIRST_CARDS + 1)
    column(page, stages[1]).get_by_role("link", name="Load more").scroll_into_view_if_needed()

    expect(cards).to_have_count(FIRST_CARDS + 5)
    names = cards.locator(".deal-name").all_inner_texts()
    assert names == [f"Deal {number:02}" for number in range(FIRST_CARDS + 4)] + ["Late deal"]


def test_won_takes_the_card_off_the_board(page, live_server, login, rep, stages, deals):
    open_board(page, live_server, login, rep)

    menu_of(page, "Globex upsell").get_by_role("button", name="Won").click()

    expect(page.locator(f"#deal-{deals[1].pk}")).to_have_count(0)
    expect(column(page, stages[1]).locator("[data-amount]")).to_have_text("0.00")
    expect(page.get_by_text("Globex upsell is won.")).to_be_visible()
    assert Opportunity.objects.get(pk=deals[1].pk).status == "won"


def test_won_from_the_keyboard_leaves_the_focus_on_the_next_card(
    page, live_server, login, rep, stages, deals
):
    second = make_opportunity(name="Initech pilot", owner=rep, stage=stages[0])
    open_board(page, live_server, login, rep)

    page.get_by_role("button", name="Actions for Acme renewal").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Won").first.focus()
    page.keyboard.press("Enter")

    expect(page.locator(f"#deal-{deals[0].pk}")).to_have_count(0)
    expect(page.get_by_role("button", name="Actions for Initech pilot")).to_be_focused()
    assert Opportunity.objects.get(pk=second.pk).status == "open"


def test_completing_a_deals_last_step_with_no_next_step_for_now(
    page, live_server, login, rep, stages, deals
):
    call = make_activity(opportunity=deals[0], owner=rep, kind="call", subject="Call Pat")
    open_board(page, live_server, login, rep)
    card = page.locator(f"#deal-{deals[0].pk}")
    expect(card.locator("[data-next-activity]")).to_contain_text("Call: Call Pat")

    card.get_by_role("link", name="Done").click()
    expect(card.get_by_text("schedule the next one")).to_be_visible()
    card.get_by_label("Outcome").fill("Call again in the spring")
    card.get_by_role("button", name="No next step for now").click()

    expect(card.locator(".badge")).to_have_text("No next step")
    expect(card.locator("[data-next-activity]")).to_have_count(0)
    expect(card.locator("form")).to_have_count(2)  # only its menu's: the activity form is gone
    call.refresh_from_db()
    assert (call.is_done, call.outcome) == (True, "Call again in the spring")
    assert not Activity.objects.pending().exists()
