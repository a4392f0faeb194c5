import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from opportunities.models import Opportunity
from opportunities.services import move_opportunity, update_opportunity
from tests.asserts import assert_shows
from tests.factories import make_company, make_contact, make_lead, make_opportunity
from tests.opportunities.history import fields_changed


def detail_url(deal) -> str:
    return reverse("opportunities:detail", args=[deal.pk])


def quick_url(deal) -> str:
    return reverse("opportunities:quick_edit", args=[deal.pk])


def quick_edit(client, deal, headers, **typed):
    """Save the in-place form of ``deal`` as htmx posts it: the values it shows, with what was
    ``typed`` over them."""
    shown = {
        "stage": deal.stage_id,
        "amount": str(deal.amount),
        "probability": str(deal.probability),
        "expected_close_date": deal.expected_close_date.isoformat(),
        "version": str(deal.version),
    }
    return client.post(quick_url(deal), shown | typed, headers=headers)


def test_detail_shows_company_contact_lead_amounts_and_history_newest_first(
    rep_client, rep, stages
):
    company = make_company(name="Acme Corp", owner=rep)
    contact = make_contact(first_name="Wile", last_name="Coyote", owner=rep, company=company)
    lead = make_lead(first_name="Road", last_name="Runner", owner=rep)
    from opportunities.services import create_opportunity

    deal = create_opportunity(
        by=rep,
        stage=stages[0],
        name="Rockets",
        company=company,
        contact=contact,
        lead=lead,
        amount=Decimal("2000"),
        expected_close_date=datetime.date(2030, 6, 1),
    )
    move_opportunity(deal, stage=stages[1], by=rep)

    html = rep_client.get(detail_url(deal)).content.decode()

    assert_shows(
        html,
        "Acme Corp",
        "Wile Coyote",
        "Road Runner",
        "2,000.00 EUR",
    )
    assert "1,200.00 EUR" in html  # weighted at 60 %
    timeline = html.split('id="timeline"', 1)[1]
    order = [timeline.index(marker) for marker in ('data-change="stage"', 'data-change="created"')]
    assert order == sorted(order)
    assert "Qualification → Proposal" in timeline


def test_detail_of_another_team_deal_is_404(rep_client, other_deal):
    assert rep_client.get(detail_url(other_deal)).status_code == 404


def test_detail_needs_a_login(client, deal):
    assert client.get(detail_url(deal)).url == f"/accounts/login/?next={detail_url(deal)}"


def test_detail_refuses_post(rep_client, deal):
    assert rep_client.post(detail_url(deal)).status_code == 405


def test_detail_with_htmx_is_the_summary_only(rep_client, deal, htmx_headers):
    html = rep_client.get(detail_url(deal), headers=htmx_headers).content.decode()

    assert html.lstrip().startswith('<section class="card" id="summary">')


def test_quick_edit_opens_a_form_in_place(rep_client, deal, htmx_headers):
    html = rep_client.get(quick_url(deal), headers=htmx_headers).content.decode()

    assert html.lstrip().startswith('<form class="card" id="summary"')
    assert 'name="version" value="1"' in html
    assert 'name="amount"' in html


def test_quick_edit_without_htmx_shows_the_form_in_the_page(rep_client, deal):
    html = rep_client.get(quick_url(deal)).content.decode()

    assert "<html" in html
    assert 'name="probability"' in html


def test_quick_edit_saves_and_swaps_back_with_the_new_history(
    rep_client, rep, deal, stages, htmx_headers
):
    response = quick_edit(
        rep_client,
        deal,
        htmx_headers,
        stage=stages[1].pk,
        amount="1500",
        probability="60",
        expected_close_date="2031-01-31",
    )

    deal.refresh_from_db()
    assert (deal.stage, deal.amount, deal.probability, deal.version) == (
        stages[1],
        Decimal("1500.00"),
        60,
        2,
    )
    assert deal.expected_close_date == datetime.date(2031, 1, 31)
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="summary">')
    assert 'id="timeline" hx-swap-oob="true"' in html
    assert "1,000.00 → 1,500.00" in html
    assert fields_changed(deal) == ["amount", "expected_close_date", "probability", "stage"]


def test_quick_edit_shows_errors_beside_the_fields(rep_client, deal, stages, htmx_headers):
    response = quick_edit(
        rep_client, deal, htmx_headers, amount="-5", probability="120", expected_close_date=""
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("is-invalid") == 3
    assert "Ensure this value is greater than or equal to 0." in html
    assert "Ensure this value is less than or equal to 100." in html
    assert Opportunity.objects.get(pk=deal.pk).amount == Decimal("1000.00")


def test_quick_edit_refuses_a_stale_version_and_shows_the_current_values(
    rep_client, teammate, rep, deal, stages, htmx_headers
):
    # Someone saves first; Alice's form still carries version 1.
    update_opportunity(deal, by=rep, version=1, amount=Decimal("2000"))

    response = quick_edit(rep_client, deal, htmx_headers, amount="7777", version="1")

    html = response.content.decode()
    assert "Someone else saved this deal while you were editing it" in html
    assert 'name="amount" value="2000.00"' in html
    assert 'name="version" value="2"' in html
    assert "7777" in html  # what Alice typed, beside the saved value
    deal.refresh_from_db()
    assert (deal.amount, deal.version) == (Decimal("2000.00"), 2)


def test_quick_edit_of_another_team_deal_is_404(rep_client, other_deal, stages):
    assert rep_client.get(quick_url(other_deal)).status_code == 404
    assert rep_client.post(quick_url(other_deal), {"amount": "1"}).status_code == 404


def test_quick_edit_refuses_put(rep_client, deal):
    assert rep_client.put(quick_url(deal)).status_code == 405


@pytest.mark.parametrize("changes", [1, 3])
def test_detail_query_count_does_not_grow_with_history(
    rep_client, rep, deal, stages, changes, django_assert_num_queries
):
    for number in range(changes):
        move_opportunity(deal, stage=stages[1 + number % 2], by=rep)

    # session, user, the deal with what it points at, its team, its history (with users and
    # stages), the user's team (menu), the activity timeline (badges, activities, changes,
    # its activities' field changes), the stage's velocity and its usual stay before a win
    # (both cached afterwards).
    with django_assert_num_queries(12):
        response = rep_client.get(detail_url(deal))

    assert response.content.decode().count('data-change="stage"') == changes


def test_detail_links_to_its_company_contact_and_source_lead(rep_client, rep, stages):
    company = make_company(name="Acme Corp", owner=rep)
    contact = make_contact(first_name="Wile", last_name="Coyote", owner=rep, company=company)
    lead = make_lead(first_name="Road", last_name="Runner", owner=rep)
    deal = make_opportunity(
        name="Rockets", owner=rep, stage=stages[0], company=company, contact=contact, lead=lead
    )

    html = rep_client.get(detail_url(deal)).content.decode()

    assert f'<a href="{company.get_absolute_url()}">Acme Corp</a>' in html
    assert f'<a href="{contact.get_absolute_url()}">Wile Coyote</a>' in html
    assert f'<a href="{lead.get_absolute_url()}">Road Runner</a>' in html


def test_detail_shows_the_close_date_in_the_same_short_format_as_the_rest(rep_client, rep, stages):
    deal = make_opportunity(
        name="Rockets", owner=rep, stage=stages[0], expected_close_date=datetime.date(2030, 6, 1)
    )

    html = rep_client.get(detail_url(deal)).content.decode()

    assert 'data-field="expected_close_date">06/01/2030</dd>' in html


def test_detail_history_shows_amounts_and_statuses_formatted(rep_client, rep, stages):
    deal = make_opportunity(name="Rockets", owner=rep, stage=stages[0], amount=Decimal("15800"))
    update_opportunity(deal, by=rep, version=deal.version, amount=Decimal("17250.50"))

    html = rep_client.get(detail_url(deal)).content.decode()

    assert "Amount 15,800.00 → 17,250.50" in html
    assert "Amount: 15,800.00 → 17,250.50" in html
    assert "15800.00" not in html


def test_detail_names_without_a_link_the_company_a_teammate_owns(rep_client, rep, teammate, stages):
    # Bob's company: Alice's deal there is hers, but Bob's company page is a 404 for her.
    company = make_company(name="Bob's Bakery", owner=teammate)
    deal = make_opportunity(name="Ovens", owner=rep, stage=stages[0], company=company)

    html = rep_client.get(detail_url(deal)).content.decode()

    assert rep_client.get(company.get_absolute_url()).status_code == 404
    assert company.get_absolute_url() not in html
    assert 'data-field="company">Bob&#x27;s Bakery</dd>' in html
