"""My day in a real browser: a long section's "and N more" opens the list of all its items."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from home.my_day import SECTION_SIZE
from tests.factories import make_activity, make_opportunity, make_stage


def test_and_n_more_opens_the_list_of_all_the_sections_items(
    transactional_db, page, live_server, login, rep
):
    deal = make_opportunity(name="Acme renewal", owner=rep, stage=make_stage(name="Proposal"))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for number in range(SECTION_SIZE + 2):
        make_activity(opportunity=deal, owner=rep, subject=f"Call {number:02}", due_date=yesterday)
    make_activity(opportunity=deal, owner=rep, subject="Today's call")

    login(rep)
    overdue = page.locator('[data-section="overdue"]')
    expect(overdue.locator("li")).to_have_count(SECTION_SIZE)
    overdue.get_by_role("link", name="and 2 more").click()

    expect(page.get_by_role("heading", name="Activities to do")).to_be_visible()
    expect(page.locator("[data-activity]")).to_have_count(SECTION_SIZE + 2)
    expect(page.get_by_label("Due")).to_have_value("overdue")
    expect(page.locator("#activity-list")).not_to_contain_text("Today's call")

    # The list's own filters go on from there.
    page.get_by_label("Due").select_option("today")
    expect(page.locator("[data-activity]")).to_have_count(1)
    expect(page.locator("#activity-list")).to_contain_text("Today's call")
    assert "due=today" in page.url
