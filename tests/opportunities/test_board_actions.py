"""Moving, winning and losing deals from their board cards."""

import pytest
from django.urls import reverse

from opportunities import services
from opportunities.models import Opportunity
from tests.factories import fill_stages, make_opportunity, make_pipeline
from tests.opportunities.test_board import cards_in, header, names


def move_url(deal, query: str = "") -> str:
    return reverse("opportunities:move", args=[deal.pk]) + query


def test_move_with_htmx_updates_both_totals_and_puts_the_card_atop_its_new_column(
    rep_client, rep, deal, stages, htmx_headers
):
    make_opportunity(name="Already there", owner=rep, stage=stages[1])

    response = rep_client.post(
        move_url(deal, f"?owner={rep.pk}"), {"stage": stages[1].pk}, headers=htmx_headers
    )

    deal.refresh_from_db()
    assert (deal.stage, deal.probability) == (stages[1], 60)
    html = response.content.decode()
    assert header(html, stages[0]) == ("0", "0.00", "0.00")
    assert header(html, stages[1]) == ("2", "2,000.00", "1,200.00")
    assert f'id="column-header-{stages[1].pk}" hx-swap-oob="outerHTML"' in html
    # The card leaves its old place and comes first in the new column; the cards already
    # shown there stay as they are, so they are not sent again.
    assert html.index(f'<li id="deal-{deal.pk}" hx-swap-oob="delete">') < html.index(
        f'hx-swap-oob="afterbegin:#cards-{stages[1].pk}"'
    )
    assert "Already there" not in html
    assert "Acme renewal moved to Proposal." in html
    assert deal.changes.get(field="stage").changed_by == rep


def test_a_column_left_empty_is_drawn_whole_with_its_empty_state(
    rep_client, rep, deal, stages, htmx_headers
):
    make_opportunity(name="Already there", owner=rep, stage=stages[1])

    response = rep_client.post(
        move_url(deal, f"?owner={rep.pk}"), {"stage": stages[1].pk}, headers=htmx_headers
    )

    html = response.content.decode()
    assert cards_in(html, stages[0]) == []
    assert "No open deals at this stage." in html


def test_a_card_moved_to_an_empty_column_is_drawn_with_the_whole_column(
    rep_client, rep, deal, stages, htmx_headers
):
    response = rep_client.post(
        move_url(deal, f"?owner={rep.pk}"), {"stage": stages[2].pk}, headers=htmx_headers
    )

    html = response.content.decode()
    assert names(cards_in(html, stages[2])) == ["Acme renewal"]
    assert header(html, stages[2]) == ("1", "1,000.00", "900.00")
    # Drawn once: with its column, not also put atop it.
    assert html.count('class="deal-name') == 1
    assert "afterbegin" not in html


def test_a_card_dropped_on_a_column_after_the_deal_was_closed_elsewhere_goes_away(
    rep_client, rep, deal, stages, htmx_headers
):
    make_opportunity(name="Already there", owner=rep, stage=stages[1])
    services.mark_won(Opportunity.objects.get(pk=deal.pk), by=rep)  # in another tab

    response = rep_client.post(
        move_url(deal, f"?owner={rep.pk}"), {"stage": stages[1].pk}, headers=htmx_headers
    )

    html = response.content.decode()
    assert "Only an open deal can change stage" in html
    # The column it was dropped on is drawn as it is: without it.
    assert names(cards_in(html, stages[1])) == ["Already there"]
    assert cards_in(html, stages[0]) == []


def test_won_takes_the_card_off_and_leaves_the_other_cards_of_its_column_alone(
    rep_client, rep, deal, stages, htmx_headers
):
    make_opportunity(name="Still open", owner=rep, stage=stages[0])

    response = rep_client.post(
        reverse("opportunities:won", args=[deal.pk]) + f"?owner={rep.pk}", headers=htmx_headers
    )

    html = response.content.decode()
    assert f'<li id="deal-{deal.pk}" hx-swap-oob="delete">' in html
    assert header(html, stages[0]) == ("1", "1,000.00", "300.00")
    assert 'class="deal-name' not in html


def test_lost_takes_the_card_off_and_leaves_the_other_cards_of_its_column_alone(
    rep_client, rep, deal, price, stages, htmx_headers
):
    make_opportunity(name="Still open", owner=rep, stage=stages[0])

    response = rep_client.post(
        reverse("opportunities:lost", args=[deal.pk]) + f"?owner={rep.pk}",
        {"reason": price.pk},
        headers=htmx_headers,
    )

    html = response.content.decode()
    assert f'<li id="deal-{deal.pk}" hx-swap-oob="delete">' in html
    assert header(html, stages[0]) == ("1", "1,000.00", "300.00")
    assert 'class="deal-name' not in html


def test_move_without_htmx_redirects_back_to_the_board(rep_client, rep, deal, stages):
    board = reverse("opportunities:board") + f"?owner={rep.pk}"

    response = rep_client.post(move_url(deal), {"stage": stages[2].pk, "next": board})

    assert (response.status_code, response.url) == (302, board)
    assert Opportunity.objects.get(pk=deal.pk).stage == stages[2]


def test_move_ignores_an_outside_next_url(rep_client, deal, stages):
    response = rep_client.post(
        move_url(deal), {"stage": stages[2].pk, "next": "https://evil.example/"}
    )

    assert response.url == reverse("opportunities:board")


def test_move_to_a_stage_of_another_pipeline_changes_nothing(
    rep_client, rep, deal, stages, htmx_headers
):
    elsewhere = make_pipeline(name="Renewals").stages.first()

    response = rep_client.post(
        move_url(deal, f"?owner={rep.pk}"), {"stage": elsewhere.pk}, headers=htmx_headers
    )

    assert Opportunity.objects.get(pk=deal.pk).stage == stages[0]
    html = response.content.decode()
    assert "Choose a stage of this deal" in html
    # The card may have been dropped on another column: its own is drawn again, with it.
    assert names(cards_in(html, stages[0])) == ["Acme renewal"]


def test_move_of_another_team_deal_is_404(rep_client, other_deal, stages):
    response = rep_client.post(move_url(other_deal), {"stage": stages[1].pk})

    assert response.status_code == 404
    assert Opportunity.objects.get(pk=other_deal.pk).stage == stages[0]


def test_move_refuses_get(rep_client, deal):
    response = rep_client.get(move_url(deal))

    assert response.status_code == 405


def test_move_needs_a_login(client, deal, stages):
    response = client.post(move_url(deal), {"stage": stages[1].pk})

    assert response.url.startswith("/accounts/login/")
    assert Opportunity.objects.get(pk=deal.pk).stage == stages[0]


def test_move_with_an_expired_session_on_htmx_sends_the_browser_to_login(
    client, deal, stages, htmx_headers
):
    response = client.post(move_url(deal), {"stage": stages[1].pk}, headers=htmx_headers)

    assert response.headers["HX-Redirect"].startswith("/accounts/login/")


def test_won_from_the_board_removes_the_card_and_updates_the_column(
    rep_client, rep, deal, stages, htmx_headers
):
    response = rep_client.post(
        reverse("opportunities:won", args=[deal.pk]) + f"?owner={rep.pk}", headers=htmx_headers
    )

    deal.refresh_from_db()
    assert (deal.status, deal.probability) == ("won", 100)
    html = response.content.decode()
    assert cards_in(html, stages[0]) == []
    assert header(html, stages[0]) == ("0", "0.00", "0.00")
    assert "Acme renewal is won" in html


def test_won_without_htmx_goes_to_the_deal(rep_client, deal):
    response = rep_client.post(reverse("opportunities:won", args=[deal.pk]))

    assert response.url == deal.get_absolute_url()
    assert Opportunity.objects.get(pk=deal.pk).status == "won"


def test_won_of_another_team_deal_is_404(rep_client, other_deal):
    response = rep_client.post(reverse("opportunities:won", args=[other_deal.pk]))

    assert response.status_code == 404
    assert Opportunity.objects.get(pk=other_deal.pk).status == "open"


def test_won_refuses_get(rep_client, deal):
    assert rep_client.get(reverse("opportunities:won", args=[deal.pk])).status_code == 405
    assert Opportunity.objects.get(pk=deal.pk).status == "open"


def test_won_twice_says_it_is_already_closed(rep_client, deal):
    url = reverse("opportunities:won", args=[deal.pk])
    rep_client.post(url)

    response = rep_client.post(url, follow=True)

    assert "This deal is already closed." in response.content.decode()


def test_lost_button_opens_a_small_form_in_the_card(rep_client, deal, price, htmx_headers):
    response = rep_client.get(reverse("opportunities:lost", args=[deal.pk]), headers=htmx_headers)

    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert f'id="lost-{deal.pk}-reason"' in html
    assert "Too expensive" in html
    assert "Competitor" in html


def test_lost_without_a_reason_shows_the_error_beside_the_field(
    rep_client, deal, price, htmx_headers
):
    url = reverse("opportunities:lost", args=[deal.pk])

    response = rep_client.post(url, {"competitor": "Globex"}, headers=htmx_headers)

    html = response.content.decode()
    assert response.status_code == 200
    assert "is-invalid" in html
    assert "This field is required." in html
    assert Opportunity.objects.get(pk=deal.pk).status == "open"


def test_lost_with_a_reason_closes_the_deal_and_updates_the_column(
    rep_client, rep, deal, price, stages, htmx_headers
):
    response = rep_client.post(
        reverse("opportunities:lost", args=[deal.pk]) + f"?owner={rep.pk}",
        {"reason": price.pk, "competitor": "Globex"},
        headers=htmx_headers,
    )

    deal.refresh_from_db()
    assert (deal.status, deal.lost_reason, deal.competitor, deal.probability) == (
        "lost",
        price,
        "Globex",
        0,
    )
    assert cards_in(response.content.decode(), stages[0]) == []


def test_lost_page_without_htmx_is_a_full_page(rep_client, deal, price):
    html = rep_client.get(reverse("opportunities:lost", args=[deal.pk])).content.decode()

    assert "<html" in html
    assert "Mark Acme renewal as lost" in html
    # The tab says what the page does: the deal is not lost until the form is sent.
    assert "<title>Mark Acme renewal as lost · CRM</title>" in html


def test_lost_of_another_team_deal_is_404(rep_client, other_deal, price):
    url = reverse("opportunities:lost", args=[other_deal.pk])

    assert rep_client.get(url).status_code == 404
    assert rep_client.post(url, {"reason": price.pk}).status_code == 404
    assert Opportunity.objects.get(pk=other_deal.pk).status == "open"


def test_lost_refuses_put(rep_client, deal):
    assert rep_client.put(reverse("opportunities:lost", args=[deal.pk])).status_code == 405


def test_reopen_puts_a_closed_deal_back_on_the_board(rep_client, deal):
    rep_client.post(reverse("opportunities:won", args=[deal.pk]))

    response = rep_client.post(reverse("opportunities:reopen", args=[deal.pk]))

    assert response.url == deal.get_absolute_url()
    deal.refresh_from_db()
    assert (deal.status, deal.closed_date, deal.probability) == ("open", None, 30)


def test_reopen_of_another_team_deal_is_404(rep_client, other_deal):
    assert rep_client.post(reverse("opportunities:reopen", args=[other_deal.pk])).status_code == 404


def test_reopen_refuses_get(rep_client, deal):
    assert rep_client.get(reverse("opportunities:reopen", args=[deal.pk])).status_code == 405


def test_lost_without_javascript_returns_to_the_board(rep_client, rep, deal, price):
    board = reverse("opportunities:board") + f"?owner={rep.pk}"
    url = reverse("opportunities:lost", args=[deal.pk])

    page = rep_client.get(url, {"owner": rep.pk, "next": board}).content.decode()
    response = rep_client.post(url + f"?owner={rep.pk}", {"reason": price.pk, "next": board})

    assert f'name="next" value="{board}"' in page
    assert response.url == board
    assert Opportunity.objects.get(pk=deal.pk).status == "lost"


@pytest.mark.parametrize("per_column", [1, 3])
def test_move_query_count_does_not_grow_with_deals(
    rep_client, rep, deal, stages, per_column, htmx_headers, django_assert_num_queries
):
    fill_stages(stages, per_stage=per_column, owner=rep)

    # session, user, the deal, the chosen stage's check, savepoint, the UPDATE with its
    # version check, the end of the stay in the old stage, the history INSERT, the webhook
    # endpoints (none wants it), release; then the owner filter's check, stages of the
    # pipeline, exchange rates, totals grouped by stage, the moved card and its stage's usual
    # stay before a win (risk flags; cached afterwards).
    with django_assert_num_queries(16):
        response = rep_client.post(
            move_url(deal, f"?owner={rep.pk}"), {"stage": stages[1].pk}, headers=htmx_headers
        )

    assert response.content.decode().count('class="deal-name') == 1
