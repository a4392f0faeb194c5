"""Alice writes to her deal's contact from a template in a real browser, and sees the email
sent on the deal's timeline."""

from django.core import mail
from playwright.sync_api import expect

from tests.factories import make_company, make_contact, make_email_template, make_opportunity


def test_a_rep_emails_a_deals_contact_from_a_template(
    transactional_db, page, live_server, login, rep, stages
):
    acme = make_company(name="Acme", owner=rep)
    jane = make_contact(name="Jane Doe", email="jane@acme.example", company=acme, owner=rep)
    deal = make_opportunity(
        name="Acme renewal", owner=rep, stage=stages[0], company=acme, contact=jane
    )
    make_email_template(
        name="Follow-up",
        subject="{{ opportunity.name }}: next steps",
        body="<p>Hello {{ contact.first_name }},</p><p>Shall we talk this week?</p>",
    )

    login(rep)
    page.goto(f"{live_server.url}{deal.get_absolute_url()}")
    page.locator("[data-email-link]").click()
    page.get_by_label("Start from a template").select_option(label="Follow-up (English)")
    expect(page.get_by_label("Subject")).to_have_value("{{ opportunity.name }}: next steps")
    to = page.get_by_role("group", name="To")
    expect(to.get_by_label("Jane Doe <jane@acme.example>")).to_be_checked()
    page.get_by_role("button", name="Send").click()

    page.wait_for_url(f"{live_server.url}{deal.get_absolute_url()}")
    entry = page.locator("[data-entry='activity']", has_text="Acme renewal: next steps")
    expect(entry).to_contain_text("Email:")
    expect(entry.locator("[data-delivery]")).to_have_text("Sent")
    expect(entry).to_contain_text("To: Jane Doe <jane@acme.example>")
    [sent] = mail.outbox
    assert (sent.subject, sent.to) == ("Acme renewal: next steps", ["Jane Doe <jane@acme.example>"])
