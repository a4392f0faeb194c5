import datetime

from django.urls import reverse

from crm.models import Company, Contact
from leads import services
from leads.models import Lead, LeadConversion
from opportunities.models import Opportunity
from tests.factories import make_company, make_contact


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
