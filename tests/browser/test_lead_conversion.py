import re

from playwright.sync_api import expect

from leads.models import Lead, LeadConversion
from opportunities.models import Opportunity, Pipeline
from tests.factories import make_company, make_lead, make_pipeline


def test_rep_qualifies_and_converts_a_lead_linking_an_existing_company(
    transactional_db, page, live_server, login, rep
):
    Pipeline.objects.update(is_default=False)  # the seeded default may still be there
    pipeline = make_pipeline(name="Sales", is_default=True)
    company = make_company(name="Acme", email_domain="acme.example", owner=rep)
    lead = make_lead(name="Jane Doe", company_name="Acme", email="jane@acme.example", owner=rep)

    login(rep)
    page.goto(f"{live_server.url}/leads/")
    page.get_by_role("link", name="Jane Doe").click()
    page.get_by_role("button", name="Qualify").click()
    status = page.locator("#lead-status")
    expect(status.locator(".lead-status")).to_have_text("Qualified")
    expect(status).to_contain_text("New → Qualified")

    status.get_by_role("link", name="Convert…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Convert Jane Doe")
    # The matching company is offered first: no new company's name to give.
    expect(page.get_by_label("Link to Acme")).to_be_checked()
    expect(page.get_by_label("New company's name")).to_be_hidden()
    page.get_by_label("Create a new company").check()
    expect(page.get_by_label("New company's name")).to_have_value("Acme")
    page.get_by_label("Link to Acme").check()
    expect(page.get_by_label("New company's name")).to_be_hidden()
    # Most leads become a deal: the opportunity starts ticked, its fields open.
    expect(page.get_by_label("Create an opportunity")).to_be_checked()
    expect(page.get_by_label("Opportunity name")).to_have_value("Acme – Jane Doe")
    page.get_by_label("Create an opportunity").uncheck()
    expect(page.get_by_label("Opportunity name")).to_be_hidden()
    page.get_by_label("Create an opportunity").check()
    page.get_by_label("Expected amount").fill("25000")
    page.get_by_role("button", name="Convert").click()

    page.wait_for_url(re.compile(r"/opportunities/\d+/$"))
    opportunity = Opportunity.objects.get()
    assert page.url == f"{live_server.url}/opportunities/{opportunity.pk}/"
    assert (opportunity.company, opportunity.lead, opportunity.stage.pipeline) == (
        company,
        lead,
        pipeline,
    )
    assert str(opportunity.amount) == "25000.00"
    conversion = LeadConversion.objects.get()
    assert (conversion.company, conversion.opportunity) == (company, opportunity)
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.CONVERTED


def test_without_javascript_every_convert_field_shows(
    transactional_db, browser, live_server, login, rep
):
    lead = make_lead(name="Jane Doe", company_name="Acme", owner=rep)
    context = browser.new_context(java_script_enabled=False)
    page = login(rep, on=context.new_page())

    page.goto(f"{live_server.url}/leads/{lead.pk}/convert/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Qualify and convert Jane Doe")
    expect(page.get_by_label("Create a new company")).to_be_checked()
    expect(page.get_by_label("New company's name")).to_be_visible()
    expect(page.get_by_label("Opportunity name")).to_be_visible()
    context.close()
