"""The pipeline board in a real browser: drag and drop, the stage select, lost with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opportunities.models import Opportunity, Pipeline
from opportunities.views.board import FIRST_CARDS
from tests.factories import make_lost_reason, make_opportunity, make_pipeline


@pytest.fixture
def stages(transactional_db):
    Pipeline.objects.update(is_default=False)
    pipeline = make_pipeline(name="Sales", is_default=True)
    return list(pipeline.stages.order_by("order"))


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


def test_move_a_card_with_its_stage_select(page, live_server, login, rep, stages, deals):
    open_board(page, live_server, login, rep)

    page.get_by_label("Stage of Acme renewal").select_option(label="Negotiation")

    expect(column(page, stages[2]).locator(f"#deal-{deals[0].pk}")).to_be_visible()
    expect(column(page, stages[2]).locator("[data-weighted]")).to_have_text("900.00")
    expect(page.get_by_text("Acme renewal moved to Negotiation.")).to_be_visible()
    assert Opportunity.objects.get(pk=deals[0].pk).stage == stages[2]


def test_arrow_keys_step_through_stages_and_move_the_card_once(
    page, live_server, login, rep, stages, deals
):
    open_board(page, live_server, login, rep)
    moves = []
    page.on("request", lambda request: "/move/" in request.url and moves.append(request.url))

    page.get_by_label("Stage of Acme renewal").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")

    expect(column(page, stages[2]).locator(f"#deal-{deals[0].pk}")).to_be_visible()
    expect(page.get_by_text("Acme renewal moved to Negotiation.")).to_be_visible()
    assert len(moves) == 1
    assert Opportunity.objects.get(pk=deals[0].pk).changes.filter(field="stage").count() == 1


def test_mark_a_deal_lost_with_a_reason(page, live_server, login, rep, stages, deals):
    reason = make_lost_reason(name="Too expensive")
    open_board(page, live_server, login, rep)
    card = page.locator(f"#deal-{deals[0].pk}")

    card.get_by_role("link", name="Lost").click()
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
    for number in range(10):
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

    page.get_by_label("Stage of Late deal").select_option(label=stages[1].name)

    expect(column(page, stages[1]).locator("[data-count]")).to_have_text("11")
    expect(cards.first).to_have_attribute("data-deal", str(late.pk))
    expect(cards).to_have_count(FIRST_CARDS + 1)
    column(page, stages[1]).get_by_role("link", name="Load more").scroll_into_view_if_needed()

    expect(cards).to_have_count(11)
    names = cards.locator(".deal-name").all_inner_texts()
    assert names == [f"Deal {number:02}" for number in range(10)] + ["Late deal"]


def test_won_takes_the_card_off_the_board(page, live_server, login, rep, stages, deals):
    open_board(page, live_server, login, rep)

    page.locator(f"#deal-{deals[1].pk}").get_by_role("button", name="Won").click()

    expect(page.locator(f"#deal-{deals[1].pk}")).to_have_count(0)
    expect(column(page, stages[1]).locator("[data-amount]")).to_have_text("0.00")
    expect(page.get_by_text("Globex upsell is won.")).to_be_visible()
    assert Opportunity.objects.get(pk=deals[1].pk).status == "won"
