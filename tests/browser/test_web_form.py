from playwright.sync_api import expect

from leads.models import Lead, WebSubmission
from tests.factories import make_web_submission


def test_a_form_sent_at_once_is_held_and_a_manager_releases_it(
    transactional_db, page, live_server, login, settings, north, manager, rep
):
    settings.WEB_LEADS_TEAM = north.name

    # Autofill and Enter: sent well within the seconds a bot check expects a person to take.
    page.goto(f"{live_server.url}/leads/web/")
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace@navy.example")
    page.get_by_label("Message").fill("Call me about compilers.")
    page.get_by_label("Email").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    held = WebSubmission.objects.get()
    assert (held.name, held.reason, Lead.objects.count()) == ("Grace Hopper", "too_fast", 0)

    login(manager)
    page.goto(f"{live_server.url}/leads/")
    page.get_by_role("link", name="Held web messages").click()
    row = page.locator(f"#held-{held.pk}")
    expect(row).to_contain_text("Grace Hopper")
    expect(row).to_contain_text("Sent too fast")
    page.evaluate("window.stillTheSamePage = true")

    row.get_by_role("button", name="Release").click()

    expect(row).to_contain_text("Released")
    expect(page.locator("#messages")).to_contain_text("Grace Hopper is now a lead.")
    assert page.evaluate("window.stillTheSamePage") is True
    lead = Lead.objects.get()
    assert (lead.email, lead.owner, lead.source.code) == ("grace@navy.example", rep, "web")
    row.get_by_role("link", name="Grace Hopper").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Grace Hopper")


def test_a_manager_purges_a_held_message(
    transactional_db, page, live_server, login, north, manager
):
    held = make_web_submission(name="Spam Bot", team=north, reason=WebSubmission.Reason.HONEYPOT)
    login(manager)
    page.goto(f"{live_server.url}/leads/web/held/")
    row = page.locator(f"#held-{held.pk}")

    row.get_by_role("button", name="Purge").click()

    expect(row).to_contain_text("Deleted")
    expect(page.locator("#messages")).to_contain_text("The message from Spam Bot was deleted.")
    assert WebSubmission.objects.count() == 0
