"""The merge page: a manager picks the duplicate, compares, confirms; the old address then
opens the record that stayed."""

import pytest
from django.urls import reverse

from crm.models import Company
from leads.models import Lead, LeadConversion
from tests.factories import make_company, make_contact, make_lead


def merge_url(kind: str, pk: int) -> str:
    return reverse(f"merging:{kind}", args=[pk])


def test_the_page_offers_records_that_look_like_the_same_customer(manager_client, rep):
    kept = make_company(name="Nordlicht", owner=rep, email_domain="nordlicht.de")
    twin = make_company(name="Nordlicht GmbH", owner=rep, email_domain="nordlicht.de")
    make_company(name="Atelier", owner=rep)

    html = manager_client.get(merge_url("company", kept.pk)).text

    assert "Nordlicht GmbH" in html
    assert f"?other={twin.pk}" in html
    assert "Atelier" not in html


def test_searching_finds_a_duplicate_by_name(manager_client, rep):
    kept = make_contact(first_name="Ana", last_name="Jiménez", owner=rep)
    make_contact(first_name="Ana", last_name="Jimenez Ruiz", owner=rep)

    html = manager_client.get(merge_url("contact", kept.pk), {"q": "Jimenez"}).text

    assert "Ana Jimenez Ruiz" in html


def test_comparing_then_merging(manager_client, rep):
    kept = make_company(name="Acme", owner=rep, phone="")
    twin = make_company(name="ACME Inc.", owner=rep, phone="+34911222333")

    compared = manager_client.get(merge_url("company", kept.pk), {"other": twin.pk}).text
    response = manager_client.post(merge_url("company", kept.pk), {"other": twin.pk}, follow=True)

    assert "+34911222333" in compared and "ACME Inc." in compared
    assert response.redirect_chain == [(kept.get_absolute_url(), 302)]
    assert "“ACME Inc.” was merged into “Acme”." in response.text
    assert list(Company.objects.values_list("name", flat=True)) == ["Acme"]


def test_the_old_address_opens_the_record_that_stayed(manager_client, rep_client, rep):
    kept, twin = make_lead(owner=rep), make_lead(owner=rep)
    manager_client.post(merge_url("lead", kept.pk), {"other": twin.pk})

    response = rep_client.get(reverse("leads:detail", args=[twin.pk]))

    assert response.status_code == 302
    assert response["Location"] == kept.get_absolute_url()


def test_the_old_address_stays_a_404_for_whoever_cannot_see_the_survivor(
    manager_client, other_client, rep
):
    kept, twin = make_contact(owner=rep), make_contact(owner=rep)
    manager_client.post(merge_url("contact", kept.pk), {"other": twin.pk})

    response = other_client.get(reverse("crm:contact_detail", args=[twin.pk]))

    assert response.status_code == 404


def test_a_refused_merge_says_why_and_keeps_both(manager_client, rep):
    kept = make_lead(owner=rep)
    converted = make_lead(owner=rep, status=Lead.Status.CONVERTED)
    LeadConversion.objects.create(lead=converted, contact=make_contact(owner=rep))

    response = manager_client.post(merge_url("lead", kept.pk), {"other": converted.pk})

    assert response.status_code == 200
    assert "keep it, and merge the other lead into it" in response.text


def test_reps_and_other_teams_get_404(rep_client, manager_client, rep, other_rep):
    mine, theirs = make_company(owner=rep), make_company(owner=other_rep)

    assert rep_client.get(merge_url("company", mine.pk)).status_code == 404
    assert manager_client.get(merge_url("company", theirs.pk)).status_code == 404
    assert (
        manager_client.post(merge_url("company", mine.pk), {"other": theirs.pk}).status_code == 404
    )
    assert manager_client.get(f"/merge/deal/{mine.pk}/").status_code == 404
    assert Company.objects.count() == 2


def test_the_merge_page_refuses_put(manager_client, rep):
    company = make_company(owner=rep)

    assert manager_client.put(merge_url("company", company.pk)).status_code == 405


def test_managers_see_the_merge_link_and_reps_do_not(manager_client, rep_client, rep):
    company = make_company(owner=rep)

    assert "data-merge-link" in manager_client.get(company.get_absolute_url()).text
    assert "data-merge-link" not in rep_client.get(company.get_absolute_url()).text


@pytest.mark.parametrize("twins", [1, 3])
def test_the_candidates_cost_the_same_queries_however_many(
    twins, manager_client, rep, django_assert_num_queries
):
    kept = make_company(name="Nordlicht", owner=rep, email_domain="nordlicht.de")
    for number in range(twins):
        make_company(name=f"Nordlicht {number}", owner=rep, email_domain="nordlicht.de")

    # Session, user, the company, its candidates (the user's team for visible_to is joined).
    with django_assert_num_queries(4):
        html = manager_client.get(merge_url("company", kept.pk)).text

    assert html.count("?other=") == twins
