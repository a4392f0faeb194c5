import datetime

from django.urls import reverse

from crm.models import Company, Contact
from leads import services
from leads.models import Lead, LeadConversion
from opportunities.models import Opportunity
from tests.factories import make_company, make_contact, make_lead


def convert_url(lead):
    return reverse("leads:convert", args=[lead.pk])


def test_convert_screen_offers_matching_contacts_and_companies(rep_client, lead, rep, other_rep):
    contact = make_contact(first_name="Jane", last_name="Doe", phone="+34600111222", owner=rep)
    by_domain = make_company(name="Acme Holdings", email_domain="acme.example", owner=rep)
    by_name = make_company(name="ACME", owner=rep)
    make_company(name="Acme", owner=other_rep)  # another team's: not offered

    response = rep_client.get(convert_url(lead))

    form = response.context["form"]
    assert [label for _value, label in form.fields["contact"].choices] == [
        "Link to Jane Doe",
        "Create a new contact",
    ]
    assert sorted(form.companies) == sorted([str(by_domain.pk), str(by_name.pk)])
    assert form["contact"].initial == str(contact.pk)
    assert form["opportunity_name"].initial.endswith("– Jane Doe")


def companies_offered(response) -> list[str]:
    return sorted(company.name for company in response.context["form"].companies.values())


def test_convert_screen_offers_the_company_of_the_leads_website(rep_client, rep):
    # The lead writes from gmail: only the website tells the company.
    lead = make_lead(
        last_name="Ruiz",
        company_name="Almendral",
        email="ana.ruiz@gmail.com",
        website="https://www.bodegasalmendral.es/visitas",
        owner=rep,
    )
    by_domain = make_company(
        name="Bodegas Almendral", email_domain="bodegasalmendral.es", owner=rep
    )
    by_website = make_company(
        name="Almendral Wines", website="https://bodegasalmendral.es", owner=rep
    )

    response = rep_client.get(convert_url(lead))

    assert companies_offered(response) == ["Almendral Wines", "Bodegas Almendral"]
    assert response.context["form"]["company"].initial in {str(by_domain.pk), str(by_website.pk)}


def test_convert_screen_offers_the_company_of_the_same_name_without_its_legal_form(rep_client, rep):
    lead = make_lead(last_name="Ruiz", company_name="BODEGAS ALMENDRAL, S.L.", owner=rep)
    make_company(name="Bodegas Almendral", owner=rep)
    make_company(name="Bodegas Almendro", owner=rep)

    response = rep_client.get(convert_url(lead))

    assert companies_offered(response) == ["Bodegas Almendral"]
    assert "Link to Bodegas Almendral" in response.text


def test_a_free_mail_lead_is_offered_no_company_by_its_domain_nor_gives_it_one(rep_client, rep):
    lead = make_lead(
        last_name="Ruiz", company_name="Ruiz Catering", email="ruiz@hotmail.es", owner=rep
    )
    careless = make_company(name="Careless", email_domain="hotmail.es", owner=rep)
    make_contact(last_name="Pérez", email="perez@hotmail.es", company=careless, owner=rep)

    page = rep_client.get(convert_url(lead))
    rep_client.post(
        convert_url(lead), {"contact": "new", "company": "new", "company_name": "Ruiz Catering"}
    )

    assert companies_offered(page) == []
    created = Company.objects.get(name="Ruiz Catering")
    assert (created.email_domain, created.website_domain) == ("", "")


def test_a_bad_lead_website_is_not_copied_into_the_new_company_and_the_rep_is_told(rep_client, rep):
    # Saved before websites were checked.
    lead = make_lead(
        last_name="Ruiz", company_name="Ruiz Catering", website="javascript:alert(1)", owner=rep
    )

    page = rep_client.get(convert_url(lead))
    response = rep_client.post(
        convert_url(lead),
        {"contact": "new", "company": "new", "company_name": "Ruiz Catering"},
        follow=True,
    )

    warning = (
        "The lead's website “javascript:alert(1)” is not a web address: a new company is "
        "created without it."
    )
    assert warning in page.text
    company = Company.objects.get()
    assert company.website == ""
    messages = [str(message) for message in response.context["messages"]]
    assert (
        "The lead's website “javascript:alert(1)” is not a web address: the new company was "
        "created without it."
    ) in messages


def test_a_good_lead_website_is_copied_into_the_new_company(rep_client, rep):
    lead = make_lead(last_name="Ruiz", website="https://ruiz-catering.es", owner=rep)

    page = rep_client.get(convert_url(lead))
    rep_client.post(convert_url(lead), {"contact": "new", "company": "new", "company_name": "Ruiz"})

    assert "data-refused-website" not in page.text
    company = Company.objects.get()
    assert (company.website, company.website_domain) == (
        "https://ruiz-catering.es",
        "ruiz-catering.es",
    )


def test_rep_converts_linking_company_with_opportunity_and_lands_on_it(
    rep_client, lead, rep, first_stage
):
    company = make_company(name="Acme", owner=rep)

    response = rep_client.post(
        convert_url(lead),
        {
            "contact": "new",
            "company": str(company.pk),
            "create_opportunity": "on",
            "opportunity_name": "Acme – Jane Doe",
            "amount": "5000",
            "stage": first_stage.pk,
            "expected_close_date": "2027-01-15",
            "owner": rep.pk,
        },
    )

    opportunity = Opportunity.objects.get()
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert (opportunity.company, opportunity.lead, opportunity.stage) == (
        company,
        lead,
        first_stage,
    )
    assert opportunity.expected_close_date == datetime.date(2027, 1, 15)
    conversion = LeadConversion.objects.get()
    assert (conversion.company, conversion.contact.company) == (company, company)
    assert Company.objects.count() == 1


def test_convert_without_opportunity_lands_on_the_contact(rep_client, lead):
    response = rep_client.post(
        convert_url(lead), {"contact": "new", "company": "new", "company_name": "Acme"}
    )

    contact = Contact.objects.get()
    assert response["Location"] == f"/contacts/{contact.pk}/"
    assert contact.company.name == "Acme"
    assert Opportunity.objects.count() == 0


def test_convert_errors_are_shown_beside_the_fields(rep_client, lead):
    response = rep_client.post(
        convert_url(lead),
        {"contact": "new", "company": "new", "company_name": "", "create_opportunity": "on"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Give the new company a name." in body
    assert "This field is required for an opportunity." in body
    assert LeadConversion.objects.count() == 0


def test_cannot_link_to_a_contact_the_rep_cannot_see(rep_client, lead, other_rep):
    hidden = make_contact(last_name="Doe", email="jane.doe@acme.example", owner=other_rep)

    response = rep_client.post(convert_url(lead), {"contact": str(hidden.pk), "company": "none"})

    assert "Select a valid choice." in response.content.decode()
    assert LeadConversion.objects.count() == 0


def test_double_submit_converts_once_and_lands_on_the_same_page(rep_client, lead, first_stage):
    data = {
        "contact": "new",
        "company": "none",
        "create_opportunity": "on",
        "opportunity_name": "Deal",
        "stage": first_stage.pk,
        "expected_close_date": "2027-01-15",
    }
    first = rep_client.post(convert_url(lead), data)
    second = rep_client.post(convert_url(lead), data)

    assert first["Location"] == second["Location"]
    assert (LeadConversion.objects.count(), Contact.objects.count()) == (1, 1)
    assert Opportunity.objects.count() == 1


def test_disqualified_lead_is_not_converted(rep_client, lead, rep, no_budget):
    services.disqualify(lead, reason=no_budget, by=rep)

    response = rep_client.post(convert_url(lead), {"contact": "new", "company": "none"})

    assert response["Location"] == lead.get_absolute_url()
    assert LeadConversion.objects.count() == 0
    lead.refresh_from_db()
    assert lead.status == Lead.Status.DISQUALIFIED


def test_other_reps_lead_cannot_be_converted(other_client, lead):
    response = other_client.post(convert_url(lead), {"contact": "new", "company": "none"})
    assert response.status_code == 404
    assert LeadConversion.objects.count() == 0


def test_convert_wrong_method_and_anonymous(rep_client, client, lead):
    assert rep_client.put(convert_url(lead)).status_code == 405
    assert client.get(convert_url(lead))["Location"].startswith("/accounts/login/")


def test_convert_screen_ticks_the_opportunity_and_marks_the_new_company_name(rep_client, lead):
    response = rep_client.get(convert_url(lead))

    html = response.content.decode()
    assert response.context["form"]["create_opportunity"].initial is True
    assert 'class="form-check-input" id="id_create_opportunity" checked>' in html
    # Shown only for "Create a new company" by leads.js; without it the box always shows.
    assert (
        'data-company-name><div class="mb-3">\n  <label class="form-label" for="id_company_name">'
        in html
    )


def test_convert_heading_fits_the_leads_status(rep_client, lead, rep):
    new = rep_client.get(convert_url(lead)).content.decode()
    services.qualify(lead, by=rep)
    qualified = rep_client.get(convert_url(lead)).content.decode()

    assert '<h1 class="h3 mb-3">Qualify and convert Jane Doe</h1>' in new
    assert '<h1 class="h3 mb-3">Convert Jane Doe</h1>' in qualified


def test_disqualified_lead_convert_page_says_why_and_offers_no_form(
    rep_client, lead, rep, no_budget
):
    services.disqualify(lead, reason=no_budget, by=rep)

    response = rep_client.get(convert_url(lead))

    html = response.content.decode()
    assert '<h1 class="h3 mb-3">Jane Doe cannot be converted</h1>' in html
    assert "It was disqualified (No budget). Reopen it before converting it." in html
    assert f'href="{lead.get_absolute_url()}">Back to the lead</a>' in html
    assert '<form method="post" class="row g-3"' not in html
    assert LeadConversion.objects.count() == 0
