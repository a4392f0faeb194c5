"""The rules that tell two records of one company apart from two companies: its domain, read
from a website, a typed domain or an address (never a free mail one), and its name, read
without legal form, case, accents or punctuation."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from crm.matching import company_domain, company_name_key, is_free_mail, normalize_domain
from crm.models import Company
from tests.factories import make_company, make_contact


@pytest.mark.parametrize(
    "typed",
    [
        "https://www.bodegasalmendral.es",
        "http://bodegasalmendral.es/contacto?lang=en#mapa",
        "HTTPS://WWW.BodegasAlmendral.ES:8443/",
        "https://visitas:clave@bodegasalmendral.es/",
        "www.bodegasalmendral.es",
        "bodegasalmendral.es.",
        "Ventas@BodegasAlmendral.es",
    ],
)
def test_a_website_an_address_and_a_typed_domain_give_one_domain(typed):
    assert company_domain(typed) == "bodegasalmendral.es"


def test_an_international_domain_reads_alike_however_it_is_written():
    assert normalize_domain("https://www.BÜCHER.de/") == "bücher.de"
    assert normalize_domain("ana@xn--bcher-kva.de") == "bücher.de"


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.es",
        "hotmail.co.uk",
        "live.com.mx",
        "yahoo.com.ar",
        "icloud.com",
        "gmx.net",
        "web.de",
        "t-online.de",
        "proton.me",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "orange.fr",
        "libero.it",
        "telefonica.net",
    ],
)
def test_free_mail_domains_say_nothing_of_a_company(domain):
    assert is_free_mail(domain)
    assert company_domain(f"ana.garcia@{domain}") == ""
    assert company_domain(f"https://www.{domain}/") == ""


@pytest.mark.parametrize("domain", ["live.example.org", "yahoo-news.example", "bodegas.es"])
def test_a_companys_own_domain_is_no_free_mail(domain):
    assert not is_free_mail(domain)
    assert company_domain(domain) == domain


@pytest.mark.parametrize(
    "name",
    [
        "Bodegas Almendral",
        "Bodegas Almendral S.L.",
        "BODEGAS ALMENDRAL, SL",
        "Bodegas Almendral S. L. U.",
        "Bodegas-Almendral SA",
        "Bodegas Almendral S.A.U.",
        "  bodegas   almendral ltd ",
    ],
)
def test_legal_forms_case_and_punctuation_are_set_aside(name):
    assert company_name_key(name) == "bodegasalmendral"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Müller GmbH & Co. KG", "muller"),
        ("Müller AG", "muller"),
        ("Nordlicht Ltd", "nordlicht"),
        ("Nordlicht Limited", "nordlicht"),
        ("Acme, Inc.", "acme"),
        ("Acme Corp.", "acme"),
        ("Acme LLC", "acme"),
        ("Atelier Lumière SARL", "atelierlumiere"),
        ("Atelier Lumière SAS", "atelierlumiere"),
        ("Tulp B.V.", "tulp"),
        ("Tulp N.V.", "tulp"),
        ("Verde S.p.A.", "verde"),
        ("Verde S.r.l.", "verde"),
        ("Revontuli Oy", "revontuli"),
        ("Norrsken AB", "norrsken"),
        ("Southern Cross Pty Ltd", "southerncross"),
        ("Hermanos García y Cía.", "hermanosgarcia"),
    ],
)
def test_each_legal_form_is_set_aside(name, key):
    assert company_name_key(name) == key


def test_accents_are_set_aside():
    assert company_name_key("Société Générale") == company_name_key("SOCIETE GENERALE")
    assert company_name_key("Café Olé") == "cafeole"


def test_a_legal_form_inside_a_name_stays_and_a_name_that_is_one_is_kept():
    assert company_name_key("SA Wines Direct") == "sawinesdirect"
    assert company_name_key("AB") == "ab"


def test_two_different_names_keep_different_keys():
    assert company_name_key("Bodegas Almendral") != company_name_key("Bodegas Almendro")


# --- what a company stores and is found by ------------------------------------------------


def test_saving_a_company_writes_its_keys_and_keeps_them_up_to_date(rep):
    company = make_company(
        name="Bodegas Almendral S.L.", website="https://www.BodegasAlmendral.es/", owner=rep
    )
    assert (company.name_key, company.website_domain) == ("bodegasalmendral", "bodegasalmendral.es")

    company.name = "Viñedos del Sur S.A."
    company.website = "https://vinedosdelsur.es"
    company.save(update_fields=["name", "website"])

    stored = Company.objects.values_list("name_key", "website_domain").get(pk=company.pk)
    assert stored == ("vinedosdelsur", "vinedosdelsur.es")


def test_a_company_never_takes_a_free_mail_domain_from_its_website(rep):
    company = make_company(name="Ana's bakery", website="https://sites.gmail.com", owner=rep)

    assert company.website_domain == ""


def matches(user, **criteria) -> list[str]:
    return sorted(
        Company.objects.visible_to(user).matching(**criteria).values_list("name", flat=True)
    )


def test_a_company_is_found_by_its_email_domain_its_website_or_its_contacts(rep):
    make_company(name="By email domain", email_domain="almendral.es", owner=rep)
    make_company(name="By website", website="https://www.almendral.es/bodega", owner=rep)
    by_contact = make_company(name="By contact", owner=rep)
    make_contact(last_name="Ruiz", email="Ana.Ruiz@ALMENDRAL.es", company=by_contact, owner=rep)
    make_company(name="Elsewhere", email_domain="almendro.es", owner=rep)

    expected = ["By contact", "By email domain", "By website"]
    assert matches(rep, domains=["https://almendral.es"]) == expected
    assert matches(rep, domains=["ventas@almendral.es"]) == expected
    assert matches(rep, domains=["almendral.es"]) == expected


def test_a_free_mail_domain_never_finds_a_company(rep):
    # Stored before free mail domains were refused, or written from a contact's address.
    make_company(name="Careless", email_domain="gmail.com", owner=rep)
    with_gmail_contact = make_company(name="Has a gmail contact", owner=rep)
    make_contact(last_name="Pérez", email="perez@gmail.com", company=with_gmail_contact, owner=rep)

    assert matches(rep, domains=["someone@gmail.com", "https://gmail.com"]) == []


def test_a_company_is_found_by_its_name_whatever_its_legal_form(rep, other_rep):
    make_company(name="Bodegas Almendral", owner=rep)
    make_company(name="Bodegas Almendral", owner=other_rep)  # another team's: never shown

    assert matches(rep, name="BODEGAS ALMENDRAL, S.L.") == ["Bodegas Almendral"]


def test_an_international_domain_finds_the_company_however_it_was_written(rep):
    company = make_company(name="Bücher Haus", owner=rep)
    make_contact(last_name="Weber", email="weber@xn--bcher-kva.de", company=company, owner=rep)

    assert matches(rep, domains=["https://www.bücher.de"]) == ["Bücher Haus"]


def test_the_migration_writes_the_keys_of_companies_saved_before(rep):
    # bulk_create skips save(), as the rows written before the keys existed did.
    Company.objects.bulk_create(
        [
            Company(name="Bodegas Almendral S.L.", website="https://www.almendral.es", owner=rep),
            Company(name="Nordlicht GmbH", owner=rep),
        ]
    )
    assert set(Company.objects.values_list("name_key", flat=True)) == {""}
    migration = importlib.import_module("crm.migrations.0016_company_match_keys")

    migration.write_match_keys(apps, connection.schema_editor())

    assert sorted(Company.objects.values_list("name_key", "website_domain")) == [
        ("bodegasalmendral", "almendral.es"),
        ("nordlicht", ""),
    ]
