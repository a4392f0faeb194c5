import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from infra import spreadsheets
from infra.spreadsheets import spreadsheet_safe
from opportunities.models import Opportunity, OpportunityChange
from opportunities.services import mark_won
from tests.factories import (
    make_activity,
    make_company,
    make_lead,
    make_lead_source,
    make_lost_reason,
    make_opportunity,
    make_user,
)

LIST = reverse("opportunities:list")
EXPORT = reverse("opportunities:export")


def rows_of(html: str) -> list[str]:
    rows = html.split("<tr data-opportunity")[1:]
    return [row.split("</a>")[0].rsplit(">", 1)[1] for row in rows]


def exported(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    # Excel reads a CSV as UTF-8 only after a byte-order mark.
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_list_shows_visible_deals_by_close_date(rep_client, rep, deal, other_deal, stages):
    make_opportunity(name="Earlier", owner=rep, stage=stages[1], expected_close_date="2020-01-01")

    html = rep_client.get(LIST).content.decode()

    assert rows_of(html) == ["Earlier", "Acme renewal"]
    assert "Southern secret" not in html


def test_list_filters_by_status_stage_and_amount(rep_client, rep, stages):
    make_opportunity(name="Small", owner=rep, stage=stages[0], amount=Decimal("100"))
    make_opportunity(name="Large", owner=rep, stage=stages[0], amount=Decimal("50000"))
    make_opportunity(name="Later stage", owner=rep, stage=stages[1], amount=Decimal("50000"))
    mark_won(make_opportunity(name="Won", owner=rep, stage=stages[0]), by=rep)

    by_status = rep_client.get(LIST, {"status": "won"}).content.decode()
    by_stage = rep_client.get(LIST, {"stage": stages[1].pk}).content.decode()
    by_amount = rep_client.get(
        LIST, {"amount_min": "2000", "amount_max": "60000", "stage": stages[0].pk}
    ).content.decode()

    assert rows_of(by_status) == ["Won"]
    assert rows_of(by_stage) == ["Later stage"]
    assert rows_of(by_amount) == ["Large"]


def test_list_sorts_by_amount_descending(rep_client, rep, stages):
    for amount in ("300", "100", "200"):
        make_opportunity(name=f"Deal {amount}", owner=rep, stage=stages[0], amount=Decimal(amount))

    html = rep_client.get(LIST, {"sort": "-amount"}).content.decode()

    assert rows_of(html) == ["Deal 300", "Deal 200", "Deal 100"]


def test_list_shows_the_weighted_amount_from_the_database(rep_client, rep, stages):
    make_opportunity(name="Weighted", owner=rep, stage=stages[1], amount=Decimal("1234.50"))

    html = rep_client.get(LIST).content.decode()

    assert "740.70" in html  # 1234.50 × 60 %


def test_list_pages_through_htmx_with_the_url_pushed(rep_client, rep, stages, htmx_headers):
    for number in range(30):
        make_opportunity(name=f"Deal {number:02}", owner=rep, stage=stages[0])

    first = rep_client.get(LIST).content.decode()
    second = rep_client.get(LIST, {"page": 2}, headers=htmx_headers).content.decode()

    assert len(rows_of(first)) == 25
    assert len(rows_of(second)) == 5
    assert second.lstrip().startswith('<div id="opportunity-list" data-list hx-swap="outerHTML">')
    assert 'hx-push-url="true"' in first
    assert "<html" not in second


def test_list_of_a_bad_filter_value_shows_everything_without_error(rep_client, deal):
    response = rep_client.get(LIST, {"amount_min": "lots", "close_from": "tomorrow"})

    assert response.status_code == 200
    assert rows_of(response.content.decode()) == ["Acme renewal"]


def test_list_needs_a_login(client, db):
    assert client.get(LIST).url == f"/accounts/login/?next={LIST}"


def test_list_refuses_post(rep_client, db):
    assert rep_client.post(LIST).status_code == 405


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow_with_rows(
    rep_client, rep, stages, count, django_assert_num_queries
):
    for _ in range(count):
        make_opportunity(owner=rep, stage=stages[0], company=make_company(owner=rep))

    # session, user, count for the paginator, the page of rows (with company, owner and stage
    # joined), the user's team (menu), then the filter form's choices: pipelines, stages,
    # owners and teams.
    with django_assert_num_queries(9):
        response = rep_client.get(LIST)

    assert len(rows_of(response.content.decode())) == count


def test_list_filters_by_badge(rep_client, rep, stages):
    today = timezone.localdate()
    make_opportunity(name="Nothing planned", owner=rep, stage=stages[0])
    planned = make_opportunity(name="Planned", owner=rep, stage=stages[0])
    make_activity(opportunity=planned, owner=rep, due_date=today)
    late = make_opportunity(name="Late", owner=rep, stage=stages[0])
    make_activity(opportunity=late, owner=rep, due_date=today - datetime.timedelta(days=1))
    dusty = make_opportunity(name="Dusty", owner=rep, stage=stages[0])
    make_activity(opportunity=dusty, owner=rep, due_date=today)
    forgotten = make_opportunity(name="Forgotten", owner=rep, stage=stages[0])
    long_ago = timezone.now() - datetime.timedelta(days=60)
    Opportunity.objects.filter(pk__in=[dusty.pk, forgotten.pk]).update(created_at=long_ago)
    mark_won(make_opportunity(name="Won", owner=rep, stage=stages[0]), by=rep)

    def badge(value):
        return sorted(rows_of(rep_client.get(LIST, {"badge": value}).content.decode()))

    assert badge("overdue") == ["Late"]
    assert badge("no_next_step") == ["Forgotten", "Nothing planned"]
    assert badge("stale") == ["Dusty", "Forgotten"]
    assert badge("stale_planned") == ["Dusty"]


def test_list_filters_the_deals_nobody_here_owns(manager_client, rep, north, stages):
    gone = make_user(username="gone", team=north, is_active=False)
    make_opportunity(name="Mine", owner=rep, stage=stages[0])
    make_opportunity(name="Nobody else", owner=None, team=north, stage=stages[0])
    make_opportunity(name="Left behind", owner=gone, stage=stages[0])

    html = manager_client.get(LIST, {"unassigned": "on"}).content.decode()

    assert sorted(rows_of(html)) == ["Left behind", "Nobody else"]


@pytest.mark.parametrize("count", [1, 3])
def test_list_by_badge_query_count_does_not_grow(
    rep_client, rep, stages, count, django_assert_num_queries
):
    for _ in range(count):
        make_opportunity(owner=rep, stage=stages[0], company=make_company(owner=rep))
        make_activity(opportunity=make_opportunity(owner=rep, stage=stages[0]), owner=rep)

    # as the list without filters: the badges are worked out inside the count and the page.
    with django_assert_num_queries(9):
        response = rep_client.get(LIST, {"badge": "no_next_step"})

    assert len(rows_of(response.content.decode())) == count


def test_export_streams_only_the_visible_filtered_rows(rep_client, rep, deal, other_deal, stages):
    make_opportunity(name="Other stage", owner=rep, stage=stages[1])

    response = rep_client.get(EXPORT, {"stage": stages[0].pk})

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="opportunities-')
    rows = exported(response)
    assert rows[0][:3] == ["Name", "Company", "Pipeline"]
    assert [row[0] for row in rows[1:]] == ["Acme renewal"]
    assert rows[1][3:8] == ["Qualification", "Open", "1000.00", "EUR", "30"]
    assert rows[1][10] == "Alice Rep"  # the owner as the app names them


def test_export_of_another_team_sees_none_of_ours(other_client, deal, other_deal):
    rows = exported(other_client.get(EXPORT))

    assert [row[0] for row in rows[1:]] == ["Southern secret"]


def test_export_neutralises_spreadsheet_formulas(rep_client, rep, stages):
    company = make_company(name="+Evil Corp", owner=rep)
    make_opportunity(name='=HYPERLINK("http://x")', company=company, owner=rep, stage=stages[0])
    make_opportunity(name="@SUM(A1)", competitor="-2+3", owner=rep, stage=stages[0])

    rows = exported(rep_client.get(EXPORT, {"sort": "name"}))

    assert sorted((row[0], row[1]) for row in rows[1:]) == [
        ('\'=HYPERLINK("http://x")', "'+Evil Corp"),
        ("'@SUM(A1)", ""),
    ]


def test_spreadsheet_safe_prefixes_every_formula_start():
    assert [spreadsheet_safe(v) for v in ["=1", "+1", "-1", "@1", "\t1", "\r1", "a=1", None]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@1",
        "'\t1",
        "'\r1",
        "a=1",
        "",
    ]


def test_export_reads_rows_in_chunks_not_all_at_once(rep_client, rep, stages, monkeypatch):
    from opportunities.views import lists as views

    monkeypatch.setattr(views, "EXPORT_CHUNK_SIZE", 2)
    for number in range(5):
        make_opportunity(name=f"Deal {number}", owner=rep, stage=stages[0])
    seen = []
    original = spreadsheets.csv_cell
    monkeypatch.setattr(
        spreadsheets, "csv_cell", lambda value: seen.append(value) or original(value)
    )

    response = rep_client.get(EXPORT)

    # Nothing is read before the response is consumed: it is a generator, not a built string.
    assert seen == []
    first_lines = [next(response.streaming_content) for _ in range(2)]
    assert first_lines[0].startswith("\ufeffName,".encode())
    assert first_lines[1].startswith(b"Deal 0,")
    assert len(list(response.streaming_content)) == 4


def test_export_needs_a_login(client, db):
    assert client.get(EXPORT).url == f"/accounts/login/?next={EXPORT}"


def test_export_refuses_post(rep_client, db):
    assert rep_client.post(EXPORT).status_code == 405


def test_export_names_an_owner_without_a_name_by_their_username(admin_client, stages):
    nameless = make_user(username="jdoe", first_name="", last_name="")
    make_opportunity(name="Quiet deal", owner=nameless, stage=stages[0], status="won")

    rows = exported(admin_client.get(EXPORT))

    assert (rows[1][4], rows[1][10]) == ("Won", "jdoe")


def test_list_finds_the_deals_closed_in_a_period_for_a_reason(manager_client, rep, stages, price):
    def closed(name, status, day, **fields):
        make_opportunity(
            name=name, owner=rep, stage=stages[1], status=status, closed_date=day, **fields
        )

    closed("Lost in May", "lost", "2026-05-05", lost_reason=price, competitor="Rival Co")
    closed("Lost in June", "lost", "2026-06-02", lost_reason=price, competitor="Rival Co")
    closed("Lost in May, other reason", "lost", "2026-05-06", lost_reason=make_lost_reason())
    closed("Won in May", "won", "2026-05-20", competitor="Rival Co")
    may = {"closed_from": "2026-05-01", "closed_to": "2026-05-31"}

    for_the_price = manager_client.get(LIST, {**may, "status": "lost", "lost_reason": price.pk})
    against_rival = manager_client.get(LIST, {**may, "competitor": "Rival Co"})

    assert rows_of(for_the_price.content.decode()) == ["Lost in May"]
    assert sorted(rows_of(against_rival.content.decode())) == ["Lost in May", "Won in May"]


def test_list_finds_the_deals_whose_close_date_was_pushed_out_in_a_period(rep_client, rep, stages):
    pushed = make_opportunity(name="Pushed in May", owner=rep, stage=stages[0])
    pulled = make_opportunity(name="Pulled in", owner=rep, stage=stages[0])
    make_opportunity(name="Never moved", owner=rep, stage=stages[0])
    may_2 = datetime.datetime(2026, 5, 2, 12, tzinfo=datetime.UTC)
    for deal, old, new in [
        (pushed, "2026-05-10", "2026-05-20"),
        (pulled, "2026-06-30", "2026-05-30"),
    ]:
        OpportunityChange.objects.create(
            opportunity=deal, field="expected_close_date", old_value=old, new_value=new,
            changed_at=may_2,
        )  # fmt: skip

    in_may = rep_client.get(LIST, {"pushed_from": "2026-05-01", "pushed_to": "2026-05-31"})
    in_june = rep_client.get(LIST, {"pushed_from": "2026-06-01", "pushed_to": "2026-06-30"})

    assert rows_of(in_may.content.decode()) == ["Pushed in May"]
    assert rows_of(in_june.content.decode()) == []
    assert 'name="pushed_from"' in in_may.content.decode()
    # Filters that figures link with show only when in use.
    assert 'name="pushed_from"' not in rep_client.get(LIST).content.decode()


def test_list_filters_by_the_forecast_category_a_deal_counts_in(rep_client, rep, stages):
    stages[2].forecast_category = "commit"
    stages[2].save(update_fields=["forecast_category"])
    make_opportunity(name="By its stage", owner=rep, stage=stages[2])
    make_opportunity(name="Overridden", owner=rep, stage=stages[0], forecast_category="commit")
    make_opportunity(name="Left out", owner=rep, stage=stages[2], forecast_category="omitted")

    commit = rep_client.get(LIST, {"forecast": "commit"}).content.decode()
    counted = rep_client.get(LIST, {"forecast": "forecast"}).content.decode()

    assert sorted(rows_of(commit)) == ["By its stage", "Overridden"]
    assert sorted(rows_of(counted)) == ["By its stage", "Overridden"]


def test_list_finds_the_deals_of_nobody_and_those_from_a_lead_of_a_source(
    manager_client, rep, north, stages
):
    web = make_lead_source(name="Web")
    make_opportunity(name="Nobody", owner=None, team=north, stage=stages[0])
    make_opportunity(name="From the web", owner=rep, stage=stages[0], lead=make_lead(source=web))
    make_opportunity(name="From no source", owner=rep, stage=stages[0], lead=make_lead())
    make_opportunity(name="From no lead", owner=rep, stage=stages[0])

    nobodys = manager_client.get(LIST, {"owner": "null"}).content.decode()
    from_web = manager_client.get(LIST, {"lead_source": web.pk}).content.decode()
    no_source = manager_client.get(LIST, {"lead_source": "null"}).content.decode()
    from_a_lead = manager_client.get(LIST, {"from_lead": "true"}).content.decode()

    assert rows_of(nobodys) == ["Nobody"]
    assert rows_of(from_web) == ["From the web"]
    assert rows_of(no_source) == ["From no source"]
    assert sorted(rows_of(from_a_lead)) == ["From no source", "From the web"]


def test_the_team_filter_counts_a_deal_for_its_owners_team(manager_client, rep, south, stages):
    # Alice's deal still filed under South, where she worked before: North's now.
    make_opportunity(name="Filed under South", owner=rep, team=south, stage=stages[0])

    html = manager_client.get(LIST, {"team": rep.team.pk}).content.decode()

    assert rows_of(html) == ["Filed under South"]


@pytest.mark.parametrize("count", [1, 3])
def test_filtered_list_query_count_does_not_grow_with_rows(
    rep_client, rep, stages, price, count, django_assert_num_queries
):
    for _ in range(count):
        make_opportunity(
            owner=rep, stage=stages[0], status="lost", closed_date="2026-05-05", lost_reason=price
        )
    query = {
        "status": "lost",
        "lost_reason": price.pk,
        "closed_from": "2026-05-01",
        "closed_to": "2026-05-31",
    }

    # As unfiltered, and for the lost reason asked for: its lookup and the choices shown.
    with django_assert_num_queries(11):
        response = rep_client.get(LIST, query)

    assert len(rows_of(response.content.decode())) == count
