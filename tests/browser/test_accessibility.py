"""The keyboard path through a page: a skip link first, a focus ring that can be seen, and
sortable headers that tell a screen reader the order."""

from playwright.sync_api import expect

from opportunities.models import Pipeline
from tests.factories import make_company, make_opportunity, make_pipeline

FOCUSED = "() => document.activeElement"
RING = """() => {
    const style = getComputedStyle(document.activeElement);
    // A date field's calendar button is a stop inside the field: the field is not :focus then.
    const element = document.activeElement;
    return {tag: element.tagName, text: element.outerHTML.slice(0, 80),
            inner: !document.activeElement.matches(":focus"),
            style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""
OUTLINE = """() => {
    const style = getComputedStyle(document.activeElement);
    return {style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


def test_tab_reaches_the_skip_link_first_and_enter_moves_to_main(
    transactional_db, page, live_server, login, rep
):
    make_company(name="Alpha", owner=rep)
    login(rep)
    page.goto(f"{live_server.url}/companies/")

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert page.evaluate(OUTLINE) == {"style": "solid", "width": 3}

    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes on from main, past the navigation bar.
    page.keyboard.press("Tab")
    assert page.evaluate(f"({FOCUSED})().closest('main') !== null") is True


def test_the_focus_ring_shows_on_every_control_tab_reaches(
    transactional_db, page, live_server, login, rep
):
    make_company(name="Alpha", owner=rep)
    login(rep)
    page.goto(f"{live_server.url}/companies/")

    reached = []
    for _ in range(30):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(RING))

    assert {control["tag"] for control in reached} >= {"A", "BUTTON", "INPUT", "SELECT"}
    reached = [control for control in reached if not control["inner"]]
    assert [c for c in reached if c["style"] != "solid" or c["width"] < 2] == []


def test_the_board_card_around_the_focused_control_is_outlined(
    transactional_db, page, live_server, login, rep
):
    Pipeline.objects.update(is_default=False)  # the seeded default may still be there
    pipeline = make_pipeline(name="Sales", is_default=True)
    make_opportunity(name="Acme", owner=rep, stage=pipeline.stages.first())
    login(rep)
    page.goto(f"{live_server.url}/opportunities/board/?pipeline={pipeline.pk}")
    page.keyboard.press("Tab")  # a keyboard user: what is focused next shows its ring

    toggle = page.get_by_role("button", name="Actions for Acme")
    toggle.focus()

    card = page.locator(".deal-card", has_text="Acme")
    assert card.evaluate("(card) => getComputedStyle(card).outlineStyle") == "solid"
    assert toggle.evaluate("(button) => getComputedStyle(button).outlineStyle") == "solid"


def test_sorting_a_column_sets_its_aria_sort(transactional_db, page, live_server, login, rep):
    make_company(name="Alpha", owner=rep)
    make_company(name="Beta", owner=rep)
    login(rep)
    page.goto(f"{live_server.url}/companies/")
    name = page.get_by_role("columnheader", name="Name")
    expect(name).to_have_attribute("aria-sort", "none")

    name.get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="Name")).to_have_attribute(
        "aria-sort", "ascending"
    )
    page.get_by_role("columnheader", name="Name").get_by_role("link").click()

    expect(page.get_by_role("columnheader", name="Name")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(page.get_by_role("columnheader", name="Owner")).to_have_attribute("aria-sort", "none")
