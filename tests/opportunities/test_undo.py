"""Taking back a move, a win or a loss: the service, and the Undo of the toast that said it."""

import pytest
from django.urls import reverse

from opportunities.models import Opportunity
from opportunities.services import (
    ConcurrentEditError,
    InvalidTransition,
    mark_lost,
    mark_won,
    move_opportunity,
    undo_transition,
    update_opportunity,
)
from tests.factories import fill_stages
from tests.opportunities.history import history
from tests.opportunities.test_board import cards_in, header, names


def state(deal) -> tuple:
    deal.refresh_from_db()
    return (
        deal.stage.name,
        deal.status,
        deal.probability,
        deal.closed_date,
        deal.lost_reason,
        deal.competitor,
    )


# --- the service ---------------------------------------------------------------------------


def test_undo_a_move_puts_the_deal_back_in_its_stage_and_says_so_in_the_history(
    deal, rep, teammate, stages
):
    move_opportunity(deal, stage=stages[2], by=rep)

    undo_transition(deal, action="move", version=deal.version, by=teammate)

    assert state(deal) == ("Qualification", "open", 30, None, None, "")
    assert deal.version == 3
    assert history(deal)[-2:] == [
        ("stage", "Negotiation", "Qualification", "bob"),
        ("probability", "90", "30", "bob"),
    ]
    back = deal.changes.get(field="stage", new_value="Qualification")
    assert (back.from_stage, back.to_stage) == (stages[2], stages[0])


def test_undo_a_move_keeps_a_probability_set_by_hand(deal, rep, stages):
    Opportunity.objects.filter(pk=deal.pk).update(probability=45, probability_is_manual=True)
    deal.refresh_from_db()
    move_opportunity(deal, stage=stages[1], by=rep)

    undo_transition(deal, action="move", version=deal.version, by=rep)

    assert state(deal)[:3] == ("Qualification", "open", 45)


def test_undo_a_win_opens_the_deal_as_it_was(deal, rep):
    mark_won(deal, by=rep)

    undo_transition(deal, action="won", version=deal.version, by=rep)

    assert state(deal) == ("Qualification", "open", 30, None, None, "")
    assert history(deal)[-2:] == [
        ("status", "won", "open", "alice"),
        ("probability", "100", "30", "alice"),
    ]


def test_undo_a_loss_forgets_its_reason_and_competitor(deal, rep, price):
    mark_lost(deal, reason=price, competitor="Globex", by=rep)

    undo_transition(deal, action="lost", version=deal.version, by=rep)

    assert state(deal) == ("Qualification", "open", 30, None, None, "")
    assert history(deal)[-2:] == [
        ("status", "lost", "open", "alice"),
        ("probability", "0", "30", "alice"),
    ]


def test_undo_is_refused_once_the_deal_changed_since(deal, rep, teammate, stages):
    move_opportunity(deal, stage=stages[1], by=rep)
    left_at = deal.version
    later = Opportunity.objects.get(pk=deal.pk)
    update_opportunity(later, by=teammate, version=later.version, amount=later.amount + 1)
    current = Opportunity.objects.get(pk=deal.pk)

    with pytest.raises(ConcurrentEditError):
        undo_transition(current, action="move", version=left_at, by=rep)

    assert state(deal)[:3] == ("Proposal", "open", 60)


def test_undo_twice_is_refused_the_second_time(deal, rep, stages):
    move_opportunity(deal, stage=stages[1], by=rep)
    left_at = deal.version
    undo_transition(deal, action="move", version=left_at, by=rep)

    with pytest.raises(ConcurrentEditError):
        undo_transition(deal, action="move", version=left_at, by=rep)

    assert state(deal)[0] == "Qualification"
    assert deal.changes.filter(field="stage").count() == 2


def test_undo_takes_back_only_the_transition_it_names(deal, rep, stages):
    move_opportunity(deal, stage=stages[1], by=rep)

    with pytest.raises(InvalidTransition, match="There is nothing to undo."):
        undo_transition(deal, action="won", version=deal.version, by=rep)
    with pytest.raises(InvalidTransition):
        undo_transition(deal, action="reopen", version=deal.version, by=rep)

    assert state(deal)[:2] == ("Proposal", "open")


def test_undo_never_takes_back_an_edit(deal, rep, stages):
    update_opportunity(deal, by=rep, version=deal.version, stage=stages[2], amount=500)

    with pytest.raises(InvalidTransition):
        undo_transition(deal, action="move", version=deal.version, by=rep)

    assert state(deal)[0] == "Negotiation"


# --- the view ------------------------------------------------------------------------------


def undo_url(deal, query: str = "") -> str:
    return reverse("opportunities:undo", args=[deal.pk]) + query


def toast_form(html: str) -> str:
    start = html.rindex("<form", 0, html.index("data-toast-undo"))
    return html[start : html.index("</form>", start)]


def test_a_move_on_the_board_says_so_with_an_undo(rep_client, rep, deal, stages, htmx_headers):
    response = rep_client.post(
        reverse("opportunities:move", args=[deal.pk]) + f"?owner={rep.pk}",
        {"stage": stages[1].pk, "next": "/opportunities/board/"},
        headers=htmx_headers,
    )

    form = toast_form(response.content.decode())
    assert f'hx-post="/opportunities/{deal.pk}/undo/?owner={rep.pk}"' in form
    assert '<input type="hidden" name="action" value="move">' in form
    assert '<input type="hidden" name="version" value="2">' in form
    assert '<input type="hidden" name="next" value="/opportunities/board/">' in form


def test_undo_a_move_on_the_board_puts_the_card_back(rep_client, rep, deal, stages, htmx_headers):
    move_opportunity(deal, stage=stages[1], by=rep)

    response = rep_client.post(
        undo_url(deal, f"?owner={rep.pk}"),
        {"action": "move", "version": deal.version},
        headers=htmx_headers,
    )

    html = response.content.decode()
    assert names(cards_in(html, stages[0])) == ["Acme renewal"]
    assert header(html, stages[1]) == ("0", "0.00", "0.00")
    assert f'<li id="deal-{deal.pk}" hx-swap-oob="delete">' in html
    assert "Acme renewal is back in Qualification." in html
    assert "data-toast-undo" not in html  # an undo is not undone in turn
    assert state(deal)[0] == "Qualification"


def test_undo_a_win_on_the_board_brings_the_card_back(rep_client, rep, deal, stages, htmx_headers):
    mark_won(deal, by=rep)

    response = rep_client.post(
        undo_url(deal, f"?owner={rep.pk}"),
        {"action": "won", "version": deal.version},
        headers=htmx_headers,
    )

    html = response.content.decode()
    assert names(cards_in(html, stages[0])) == ["Acme renewal"]
    assert header(html, stages[0]) == ("1", "1,000.00", "300.00")
    assert 'hx-swap-oob="delete"' not in html  # a closed deal had no card to take away
    assert "Acme renewal is open again." in html
    assert state(deal)[1] == "open"


def test_won_on_the_deal_page_offers_an_undo_without_javascript(rep_client, deal):
    page = rep_client.post(reverse("opportunities:won", args=[deal.pk]), follow=True)

    form = toast_form(page.content.decode())
    assert f'action="/opportunities/{deal.pk}/undo/"' in form
    assert "hx-post" not in form
    assert f'name="next" value="/opportunities/{deal.pk}/"' in form

    response = rep_client.post(undo_url(deal), {"action": "won", "version": 2, "next": "/"})

    assert response.url == "/"
    assert state(deal)[1] == "open"


def test_a_stale_undo_is_refused_with_a_clear_message(
    rep_client, rep, teammate, deal, stages, htmx_headers
):
    move_opportunity(deal, stage=stages[1], by=rep)
    left_at = deal.version
    move_opportunity(Opportunity.objects.get(pk=deal.pk), stage=stages[2], by=teammate)

    response = rep_client.post(
        undo_url(deal, f"?owner={rep.pk}"),
        {"action": "move", "version": left_at},
        headers=htmx_headers,
    )

    html = response.content.decode()
    assert "Acme renewal has changed since, so nothing was undone." in html
    assert names(cards_in(html, stages[2])) == ["Acme renewal"]
    assert state(deal)[0] == "Negotiation"


def test_a_stale_undo_without_javascript_says_so_on_the_page_it_returns_to(
    rep_client, rep, deal, stages
):
    mark_won(deal, by=rep)
    Opportunity.objects.filter(pk=deal.pk).update(version=deal.version + 1)

    page = rep_client.post(undo_url(deal), {"action": "won", "version": 2}, follow=True)

    assert page.redirect_chain == [(deal.get_absolute_url(), 302)]
    assert "Acme renewal has changed since, so nothing was undone." in page.content.decode()
    assert state(deal)[1] == "won"


def test_an_undo_without_its_version_does_nothing(rep_client, rep, deal, stages):
    move_opportunity(deal, stage=stages[1], by=rep)

    page = rep_client.post(undo_url(deal), {"action": "move"}, follow=True)

    assert "There is nothing to undo." in page.content.decode()
    assert state(deal)[0] == "Proposal"


def test_undo_of_another_team_deal_is_404(rep_client, other_rep, other_deal, stages):
    move_opportunity(other_deal, stage=stages[1], by=other_rep)

    response = rep_client.post(undo_url(other_deal), {"action": "move", "version": 2})

    assert response.status_code == 404
    assert state(other_deal)[0] == "Proposal"


def test_undo_refuses_get(rep_client, deal):
    assert rep_client.get(undo_url(deal)).status_code == 405


def test_undo_needs_a_login(client, rep, deal, stages):
    move_opportunity(deal, stage=stages[1], by=rep)

    response = client.post(undo_url(deal), {"action": "move", "version": 2})

    assert response.url.startswith("/accounts/login/")
    assert state(deal)[0] == "Proposal"


@pytest.mark.parametrize("per_column", [1, 3])
def test_undo_query_count_does_not_grow_with_deals(
    rep_client, rep, deal, stages, per_column, htmx_headers, django_assert_num_queries
):
    fill_stages(stages, per_stage=per_column, owner=rep)
    move_opportunity(deal, stage=stages[1], by=rep)

    # session, user, the deal, savepoint, the rows its last save wrote, the UPDATE with its
    # version check, the end of the stay in the stage it leaves, the history INSERT, the
    # webhook endpoints (none wants it), release; then the owner filter's check, stages of
    # the pipeline, exchange rates, totals grouped by stage, the card and its stage's usual
    # stay before a win (risk flags; cached afterwards).
    with django_assert_num_queries(16):
        response = rep_client.post(
            undo_url(deal, f"?owner={rep.pk}"),
            {"action": "move", "version": deal.version},
            headers=htmx_headers,
        )

    assert response.content.decode().count('class="deal-name') == 1
