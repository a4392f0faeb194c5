import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from crm.models import ExchangeRate
from opportunities.models import Opportunity
from opportunities.services import mark_lost, mark_won
from opportunities.views.board import FIRST_CARDS
from tests.asserts import assert_shows
from tests.factories import make_activity, make_company, make_opportunity, make_pipeline

BOARD = reverse("opportunities:board")


def cards_in(html: str, stage) -> list[str]:
    """Names of the deals shown in the column of ``stage``, in order."""
    column = html.split(f'id="column-{stage.pk}"', 1)[1].split("</section>", 1)[0]
    return [part.split("</a>", 1)[0] for part in column.split('class="deal-name')[1:]]


def names(cards: list[str]) -> list[str]:
    return [card.split(">", 1)[1] for card in cards]


def header(html: str, stage) -> tuple[str, str, str]:
    column = html.split(f'id="column-header-{stage.pk}"', 1)[1].split("</header>", 1)[0]

    def value(marker: str) -> str:
        return column.split(marker, 1)[1].split(">", 1)[1].split("<", 1)[0]

    return value("data-count"), value("data-amount"), value("data-weighted")


def test_board_shows_a_column_per_stage_with_open_deals_only(rep_client, rep, stages, price):
    make_opportunity(name="Early", owner=rep, stage=stages[0])
    make_opportunity(name="Late", owner=rep, stage=stages[2])
    mark_won(make_opportunity(name="Done", owner=rep, stage=stages[2]), by=rep)
    mark_lost(make_opportunity(name="Gone", owner=rep, stage=stages[1]), reason=price, by=rep)

    html = rep_client.get(BOARD).content.decode()

    assert [names(cards_in(html, stage)) for stage in stages] == [["Early"], [], ["Late"]]
    assert html.count('class="board-column') == 3


def test_board_says_so_in_a_column_without_open_deals(rep_client, rep, stages):
    make_opportunity(name="Early", owner=rep, stage=stages[0])

    html = rep_client.get(BOARD).content.decode()

    def column(stage) -> str:
        return html.split(f'id="column-{stage.pk}"', 1)[1].split("</section>", 1)[0]

    assert "No open deals at this stage." not in column(stages[0])
    assert "No open deals at this stage." in column(stages[1])


def test_board_card_shows_company_amount_close_date_and_owner(rep_client, rep, stages):
    make_opportunity(
        name="Acme",
        company=make_company(name="Acme Corp"),
        owner=rep,
        stage=stages[0],
        amount=Decimal("12500.50"),
        currency="USD",
        expected_close_date=timezone.localdate() - datetime.timedelta(days=1),
    )

    html = rep_client.get(BOARD).content.decode()

    card = cards_in(html, stages[0])[0]
    assert "Acme" in card
    assert_shows(
        html,
        "Acme Corp",
        "12,500.50 USD",
        "data-past-due",
        "Alice Rep",
        '<span class="owner-initials" title="Alice Rep" aria-hidden="true">AR</span>',
    )


def one_card(html: str, deal) -> str:
    return html.split(f'id="deal-{deal.pk}"', 1)[1].split("</li>", 1)[0]


def test_board_card_keeps_its_actions_in_a_menu(rep_client, rep, stages):
    deal = make_opportunity(name="Acme", owner=rep, stage=stages[1])

    card = one_card(rep_client.get(BOARD).content.decode(), deal)

    menu = card.split('<details class="card-menu" data-card-menu>', 1)[1]
    assert 'aria-label="Actions for Acme"' in menu
    assert [f'name="stage" value="{stage.pk}"' in menu for stage in stages] == [True] * 3
    assert_shows(
        menu,
        f'value="{stages[1].pk}" disabled aria-current="true">Proposal</button>',
        f'action="/opportunities/{deal.pk}/won/?owner={rep.pk}"',
        f'hx-get="/opportunities/{deal.pk}/lost/?owner={rep.pk}"',
        f'hx-get="/activities/schedule/?opportunity={deal.pk}&amp;slot=card"',
    )
    # Nothing of the menu shows before it: the card is its three lines.
    assert "<form" not in card.split("<details", 1)[0]


def test_board_card_shows_its_most_pressing_badge_only(rep_client, rep, stages):
    deal = make_opportunity(name="Late and dusty", owner=rep, stage=stages[0])
    Opportunity.objects.filter(pk=deal.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )
    make_activity(
        opportunity=deal,
        owner=rep,
        subject="Call back",
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )

    card = one_card(rep_client.get(BOARD).content.decode(), deal)

    assert card.count('class="badge') == 1
    assert '<span class="badge text-bg-danger">Overdue</span>' in card
    assert "Call back" in card


def test_board_opens_a_rep_on_their_own_deals(rep_client, rep, north, stages):
    make_opportunity(name="Mine", owner=rep, stage=stages[0])
    make_opportunity(name="Unassigned", owner=None, team=north, stage=stages[0])

    own = rep_client.get(BOARD).content.decode()
    team = rep_client.get(BOARD, {"owner": ""}).content.decode()

    assert names(cards_in(own, stages[0])) == ["Mine"]
    assert names(cards_in(team, stages[0])) == ["Mine", "Unassigned"]


def test_board_opens_a_manager_on_the_team_deals(manager_client, rep, teammate, other_deal):
    stage = other_deal.stage
    make_opportunity(name="For Alice", owner=rep, stage=stage)
    make_opportunity(name="For Bob", owner=teammate, stage=stage)

    html = manager_client.get(BOARD).content.decode()

    assert sorted(names(cards_in(html, stage))) == ["For Alice", "For Bob"]


def test_board_filters_by_search_and_close_dates(rep_client, rep, stages):
    today = timezone.localdate()
    acme = make_company(name="Acme", owner=rep)
    make_opportunity(name="Renewal", company=acme, owner=rep, stage=stages[0])
    make_opportunity(
        name="Upsell",
        owner=rep,
        stage=stages[0],
        expected_close_date=today + datetime.timedelta(days=90),
    )

    searched = rep_client.get(BOARD, {"owner": rep.pk, "q": "acme"}).content.decode()
    by_name = rep_client.get(BOARD, {"owner": rep.pk, "q": "UPSELL"}).content.decode()
    soon = rep_client.get(
        BOARD, {"owner": rep.pk, "close_to": (today + datetime.timedelta(days=60)).isoformat()}
    ).content.decode()

    assert names(cards_in(searched, stages[0])) == ["Renewal"]
    assert names(cards_in(by_name, stages[0])) == ["Upsell"]
    assert names(cards_in(soon, stages[0])) == ["Renewal"]


def test_board_shows_the_chosen_pipeline(rep_client, rep, stages):
    renewals = make_pipeline(name="Renewals", stages=("Check-in", "Quote"))
    quote = renewals.stages.get(name="Quote")
    make_opportunity(name="Renewal deal", owner=rep, stage=quote)

    html = rep_client.get(BOARD, {"pipeline": renewals.pk, "owner": rep.pk}).content.decode()

    assert names(cards_in(html, quote)) == ["Renewal deal"]
    assert f'id="column-{stages[0].pk}"' not in html


def test_column_totals_are_computed_over_every_deal_of_the_column(rep_client, rep, stages):
    # 30 deals in Qualification (30 %): amounts 100, 200, ... 3000; only the first are shown.
    for number in range(1, 31):
        make_opportunity(owner=rep, stage=stages[0], amount=Decimal(number * 100))
    make_opportunity(owner=rep, stage=stages[1], amount=Decimal("999.99"))
    make_opportunity(owner=rep, stage=stages[1], amount=Decimal("0.01"), probability=15)

    html = rep_client.get(BOARD).content.decode()

    # 100 + 200 + ... + 3000 = 46,500; × 30 % = 13,950.
    assert header(html, stages[0]) == ("30", "46,500.00", "13,950.00")
    # 999.99 × 60 % = 599.994 and 0.01 × 15 % = 0.0015: 599.9955 rounds to 600.00.
    assert header(html, stages[1]) == ("2", "1,000.00", "600.00")
    assert header(html, stages[2]) == ("0", "0.00", "0.00")
    assert len(cards_in(html, stages[0])) == FIRST_CARDS
    assert "Load more" in html


def test_column_totals_convert_other_currencies_at_today_rate(rep_client, rep, stages):
    today = timezone.localdate()
    first = today.replace(day=1)
    ExchangeRate.objects.create(currency="USD", rate=Decimal("0.5"), valid_from=first)
    ExchangeRate.objects.create(
        currency="USD", rate=Decimal("0.9"), valid_from=today + datetime.timedelta(days=1)
    )
    make_opportunity(owner=rep, stage=stages[0], amount=Decimal("1000"), currency="USD")
    make_opportunity(owner=rep, stage=stages[0], amount=Decimal("100"), currency="EUR")

    html = rep_client.get(BOARD).content.decode()

    # 1000 USD × 0.5 + 100 EUR = 600 EUR; weighted at 30 %: 180 EUR.
    assert header(html, stages[0]) == ("2", "600.00", "180.00")
    assert "Column totals in EUR" in html


def test_column_load_more_returns_the_next_cards_by_close_date(
    rep_client, rep, stages, htmx_headers
):
    start = timezone.localdate()
    for day in range(30):
        make_opportunity(
            name=f"Day {day:02}",
            owner=rep,
            stage=stages[0],
            expected_close_date=start + datetime.timedelta(days=day),
        )
    last_shown = Opportunity.objects.get(name=f"Day {FIRST_CARDS - 1:02}")
    cursor = f"{last_shown.expected_close_date.isoformat()}_{last_shown.pk}"

    response = rep_client.get(
        reverse("opportunities:column", args=[stages[0].pk]),
        {"owner": rep.pk, "after": cursor},
        headers=htmx_headers,
    )

    html = response.content.decode()
    shown = [part.split("</a>")[0].split(">", 1)[1] for part in html.split('class="deal-name')[1:]]
    assert shown == [f"Day {day:02}" for day in range(FIRST_CARDS, 30)]
    assert "Load more" not in html
    assert "<html" not in html


def test_column_without_a_cursor_is_the_whole_column(rep_client, rep, stages, htmx_headers):
    make_opportunity(name="Only one", owner=rep, stage=stages[1])

    html = rep_client.get(
        reverse("opportunities:column", args=[stages[1].pk]), headers=htmx_headers
    ).content.decode()

    assert names(cards_in(html, stages[1])) == ["Only one"]
    assert header(html, stages[1]) == ("1", "1,000.00", "600.00")


def cards_of_page(html: str) -> list[str]:
    return [part.split("</a>", 1)[0] for part in html.split('class="deal-name')[1:]]


def test_column_never_shows_another_team_deals(other_client, deal, htmx_headers):
    html = other_client.get(
        reverse("opportunities:column", args=[deal.stage.pk]),
        {"owner": ""},
        headers=htmx_headers,
    ).content.decode()

    assert cards_in(html, deal.stage) == []
    assert header(html, deal.stage) == ("0", "0.00", "0.00")


def test_column_of_an_unknown_stage_is_404(rep_client, htmx_headers, db):
    response = rep_client.get(reverse("opportunities:column", args=[999999]), headers=htmx_headers)

    assert response.status_code == 404


def test_column_without_htmx_is_a_page_of_its_own(rep_client, rep, stages):
    make_opportunity(name="Only one", owner=rep, stage=stages[0])

    html = rep_client.get(reverse("opportunities:column", args=[stages[0].pk])).content.decode()

    assert "<html" in html
    assert "Sales · Qualification" in html
    assert names(cards_of_page(html)) == ["Only one"]


def test_board_with_htmx_returns_only_the_board(rep_client, deal, htmx_headers):
    html = rep_client.get(BOARD, headers=htmx_headers).content.decode()

    assert html.lstrip().startswith('<div id="board"')
    assert "Acme renewal" in html
    assert "<html" not in html


def test_board_needs_a_login(client, db):
    response = client.get(BOARD)

    assert (response.status_code, response.url) == (302, f"/accounts/login/?next={BOARD}")


def test_board_refuses_post(rep_client, db):
    assert rep_client.post(BOARD).status_code == 405


@pytest.mark.parametrize("per_column", [1, 3])
def test_board_query_count_does_not_grow_with_deals(
    rep_client, rep, stages, per_column, django_assert_num_queries
):
    for stage in stages:
        for _ in range(per_column):
            make_opportunity(owner=rep, stage=stage, company=make_company(owner=rep))

    # session, user, the owner filter's check, pipelines, stages of the pipeline, exchange
    # rates, totals grouped by stage, the cards of every column (on PostgreSQL: which ones,
    # then those), the user's team (menu), owner choices and team choices (filter form), the
    # stages' usual stays before a win (risk flags; cached afterwards).
    cards = 2 if connection.features.supports_slicing_ordering_in_compound else 1
    with django_assert_num_queries(11 + cards):
        response = rep_client.get(BOARD)

    assert response.content.decode().count('class="deal-name') == 3 * per_column


def test_board_varies_on_htmx_so_the_back_button_never_shows_a_fragment(rep_client, db):
    response = rep_client.get(BOARD)

    assert "HX-Request" in response["Vary"]


def test_board_actions_keep_the_chosen_everyone_filter(rep_client, rep, north, stages):
    make_opportunity(name="Unassigned", owner=None, team=north, stage=stages[0])

    html = rep_client.get(BOARD, {"owner": ""}).content.decode()

    assert f'action="/opportunities/{Opportunity.objects.get().pk}/move/?owner="' in html
