"""Company and contact forms: what people type is cleaned, and bad input is refused clearly."""

import pytest

from crm.forms import CompanyForm, ContactForm
from tests.factories import make_company, make_contact, make_user


def company_form(user, instance=None, **data):
    data.setdefault("name", "Acme")
    data.setdefault("owner", user.pk)
    return CompanyForm(data, instance=instance, user=user)


@pytest.mark.parametrize(
    "typed",
    [
        "https://www.acme.com",
        "http://acme.com/contact",
        "WWW.ACME.COM",
        "sales@acme.com",
        " acme.com ",
    ],
)
def test_company_form_keeps_only_the_email_domain(rep, typed):
    form = company_form(rep, email_domain=typed)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["email_domain"] == "acme.com"


@pytest.mark.parametrize("typed", ["acme", "not a domain.com"])
def test_company_form_refuses_something_that_is_not_a_domain(rep, typed):
    form = company_form(rep, email_domain=typed)

    assert not form.is_valid()
    assert form.errors["email_domain"] == ["Enter a domain such as acme.com."]


def test_company_form_tidies_the_name(rep):
    form = company_form(rep, name="  Bodegas   Almendral ")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Bodegas Almendral"


def test_company_form_requires_name_and_owner(rep):
    form = CompanyForm({"name": "", "owner": ""}, user=rep)

    assert not form.is_valid()
    assert form.errors.keys() == {"name", "owner"}


def test_company_form_refuses_an_overlong_name(rep):
    form = company_form(rep, name="x" * 201)

    assert not form.is_valid()
    assert list(form.errors) == ["name"]


@pytest.mark.parametrize(
    "data",
    [
        {"name": "ACME"},
        {"name": "Acme Iberia", "email_domain": "https://acme.com"},
        {"name": "Acme Iberia", "phone": "+34 (91) 123-45-67"},
    ],
)
def test_company_form_finds_a_match_by_name_domain_or_phone(rep, data):
    existing = make_company(name="Acme", email_domain="acme.com", phone="+34911234567", owner=rep)

    form = company_form(rep, **data)

    assert not form.is_valid()
    assert form.matches == [existing]
    assert form.non_field_errors()[0].startswith("This looks like a record that already exists")


def test_company_form_without_common_details_has_no_match(rep):
    make_company(name="Acme", email_domain="acme.com", owner=rep)

    form = company_form(rep, name="Other", email_domain="other.com")

    assert form.is_valid(), form.errors
    assert form.matches == []


def test_company_form_matches_only_among_visible_records(rep, other_rep):
    make_company(name="Acme", owner=other_rep)

    form = company_form(rep, name="Acme")

    assert form.is_valid(), form.errors


def test_company_form_keeps_an_inactive_owner_selectable_on_edit(rep):
    gone = make_user(username="gone", team=rep.team, is_active=False)
    company = make_company(name="Acme", owner=gone)

    form = company_form(rep, instance=company, owner=gone.pk)

    assert form.is_valid(), form.errors


def test_contact_form_lowercases_email_and_refuses_bad_ones(rep):
    good = ContactForm({"last_name": "Ruiz", "email": " Ana@Acme.ES", "owner": rep.pk}, user=rep)
    bad = ContactForm({"last_name": "Ruiz", "email": "ana@", "owner": rep.pk}, user=rep)

    assert good.is_valid(), good.errors
    assert good.cleaned_data["email"] == "ana@acme.es"
    assert not bad.is_valid()
    assert bad.errors["email"] == ["Enter a valid email address."]


def test_contact_form_matches_email_ignoring_case_and_phone_ignoring_separators(rep):
    by_email = make_contact(email="ana@acme.es", owner=rep)
    by_phone = make_contact(phone="+34 600 11 22 33", owner=rep)

    form = ContactForm(
        {"last_name": "Ruiz", "email": "ANA@acme.es", "phone": "+34-600-112-233", "owner": rep.pk},
        user=rep,
    )

    assert not form.is_valid()
    assert sorted(form.matches, key=lambda contact: contact.pk) == [by_email, by_phone]


def test_contact_form_owner_cannot_be_someone_from_another_team(rep, other_rep):
    form = ContactForm({"last_name": "Ruiz", "owner": other_rep.pk}, user=rep)

    assert not form.is_valid()
    assert list(form.errors) == ["owner"]


def test_company_form_finds_a_company_by_the_domain_of_the_website_typed(rep):
    existing = make_company(name="Almendral", email_domain="bodegasalmendral.es", owner=rep)

    form = company_form(rep, name="Viñedos", website="https://www.bodegasalmendral.es/visitas")

    assert not form.is_valid()
    assert form.matches == [existing]


def test_company_form_finds_a_company_whose_contacts_write_from_the_domain(rep):
    existing = make_company(name="Almendral", owner=rep)
    make_contact(last_name="Ruiz", email="ana@bodegasalmendral.es", company=existing, owner=rep)

    form = company_form(rep, name="Viñedos", email_domain="bodegasalmendral.es")

    assert not form.is_valid()
    assert form.matches == [existing]


def test_company_form_finds_a_company_by_its_name_without_the_legal_form(rep):
    existing = make_company(name="Bodegas Almendral", owner=rep)

    form = company_form(rep, name="Bodegas Almendral, S.L.")

    assert not form.is_valid()
    assert form.matches == [existing]


def test_company_form_refuses_a_free_mail_domain(rep):
    form = company_form(rep, email_domain="someone@gmail.com")

    assert not form.is_valid()
    assert form.errors["email_domain"] == [
        "gmail.com is a free email service that people of any company use: leave this empty, "
        "or give the company's own domain."
    ]


def test_company_form_finds_nothing_by_a_free_mail_website(rep):
    careless = make_company(name="Careless", owner=rep)
    make_contact(last_name="Pérez", email="perez@gmail.com", company=careless, owner=rep)

    form = company_form(rep, name="Other", website="https://mail.gmail.com")

    assert form.is_valid(), form.errors
    assert form.matches == []


@pytest.mark.parametrize("website", ["javascript:alert(1)", "ftp://files.acme.com", "acme"])
def test_company_form_refuses_a_website_that_is_no_web_address(rep, website):
    form = company_form(rep, website=website)

    assert not form.is_valid()
    assert form.errors["website"] == ["Enter a valid URL."]
