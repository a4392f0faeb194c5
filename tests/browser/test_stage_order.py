"""Putting a pipeline's stages in order in a real browser: dragged with the mouse, held by the
handle with a finger, or moved with the arrows from the keyboard."""

import pytest
from playwright.sync_api import expect

from opportunities.models import Pipeline
from tests.factories import make_pipeline


@pytest.fixture
def pipeline(transactional_db):
    Pipeline.objects.update(is_default=False)
    return make_pipeline(name="Sales", is_default=True)


def open_stages(page, live_server, login, user, pipeline):
    login(user)
    page.goto(f"{live_server.url}/settings/pipelines/{pipeline.pk}/")
    expect(page.get_by_role("heading", name="Sales")).to_be_visible()


def shown_order(page) -> list[str]:
    return page.locator("#stage-list [data-stage] .fw-semibold").all_inner_texts()


def saved_order(pipeline) -> list[str]:
    return list(pipeline.stages.order_by("order").values_list("name", flat=True))


def test_drag_a_stage_to_the_top_and_the_board_follows(page, live_server, login, manager, pipeline):
    open_stages(page, live_server, login, manager, pipeline)
    negotiation = page.locator("#stage-list li", has_text="Negotiation")
    qualification = page.locator("#stage-list li", has_text="Qualification")

    negotiation.locator("[data-drag-handle]").drag_to(
        qualification, target_position={"x": 20, "y": 2}
    )

    expect(page.get_by_text("The stages are in their new order.")).to_be_visible()
    assert shown_order(page) == ["Negotiation", "Qualification", "Proposal"]
    assert saved_order(pipeline) == ["Negotiation", "Qualification", "Proposal"]
    page.goto(f"{live_server.url}/opportunities/board/")
    titles = page.locator("[id^=column-title-] > span:first-child").all_inner_texts()
    assert titles == ["Negotiation", "Qualification", "Proposal"]


def test_a_finger_on_the_handle_moves_a_stage_down(page, live_server, login, manager, pipeline):
    open_stages(page, live_server, login, manager, pipeline)
    handle = page.locator("#stage-list li", has_text="Qualification").locator("[data-drag-handle]")
    grabbed = handle.bounding_box()
    below = page.locator("#stage-list li", has_text="Proposal").bounding_box()
    # A real touch, as Chromium gets it from a touch screen (Playwright only taps).
    touch = page.context.new_cdp_session(page)
    x, y = grabbed["x"] + grabbed["width"] / 2, grabbed["y"] + grabbed["height"] / 2

    for kind, to_y in [
        ("touchStart", y),
        ("touchMove", below["y"] + below["height"] / 2),
        ("touchMove", below["y"] + below["height"] - 2),
        ("touchEnd", None),
    ]:
        points = [] if to_y is None else [{"x": x, "y": to_y}]
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    expect(page.get_by_text("The stages are in their new order.")).to_be_visible()
    assert saved_order(pipeline) == ["Proposal", "Qualification", "Negotiation"]


def test_the_arrows_move_a_stage_by_keyboard_and_keep_the_focus(
    page, live_server, login, manager, pipeline
):
    open_stages(page, live_server, login, manager, pipeline)
    up = page.get_by_role("button", name="Move Negotiation up")

    up.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("“Negotiation” is now number 2 of 3.")).to_be_visible()
    expect(page.get_by_role("button", name="Move Negotiation up")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("“Negotiation” is now number 1 of 3.")).to_be_visible()
    # At the top its up arrow is off: the focus goes to its down arrow.
    expect(page.get_by_role("button", name="Move Negotiation down")).to_be_focused()
    assert shown_order(page) == ["Negotiation", "Qualification", "Proposal"]
    assert saved_order(pipeline) == ["Negotiation", "Qualification", "Proposal"]
