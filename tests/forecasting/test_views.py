"""Mia (North's manager) sets the quotas of North and of its reps; Alice reads her own; South's
quotas stay South's."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from forecasting.models import Period, Quota
from infra.periods import month_start, quarter_start

URL = "/quotas/"


def this_month() -> datetime.date:
    return month_start(timezone.localdate())


def month_value(start: datetime.date | None = None) -> str:
    return f"month:{(start or this_month()).isoformat()}"


def make_quota(
    *, owner=None, team=None, amount="1000.00", period=Period.MONTH, start=None, **fields
):
    return Quota.objects.create(
        owner=owner,
        team=team,
        period=period,
        start=start or this_month(),
        amount=Decimal(amount),
        **fields,
    )


def quota_post(**fields) -> dict:
    return {"owner": "", "team": "", "period": month_value(), "amount": "", **fields}


def test_manager_sets_a_quota_for_a_rep_of_her_team(manager_client, manager, rep):
    response = manager_client.post(
        f"{URL}set/", quota_post(owner=rep.pk, amount="12000", deals="4"), follow=True
    )

    quota = Quota.objects.get()
    assert (quota.owner, quota.team, quota.period, quota.start) == (
        rep,
        None,
        Period.MONTH,
        this_month(),
    )
    assert (quota.amount, quota.deals, quota.activities, quota.set_by) == (
        Decimal("12000.00"),
        4,
        None,
        manager,
    )
    html = response.content.decode()
    assert "The quota of Alice Rep for" in html
    assert f'data-quota="rep-{rep.pk}"' in html
    assert '<td class="text-end" data-figure="amount">12,000.00</td>' in html


def test_setting_a_quota_again_replaces_it(manager_client, rep):
    make_quota(owner=rep, amount="5000")

    manager_client.post(f"{URL}set/", quota_post(owner=rep.pk, amount="7000"))

    assert list(Quota.objects.values_list("amount", flat=True)) == [Decimal("7000.00")]


def test_manager_sets_a_quarter_quota_for_her_team(manager_client, north):
    start = quarter_start(timezone.localdate())

    manager_client.post(
        f"{URL}set/",
        quota_post(team=north.pk, period=f"quarter:{start.isoformat()}", amount="90000"),
    )

    quota = Quota.objects.get()
    assert (quota.team, quota.owner, quota.period, quota.start, quota.amount) == (
        north,
        None,
        Period.QUARTER,
        start,
        Decimal("90000.00"),
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"amount": "100"}, "owner", "Choose a rep or a team."),
        ({"amount": "-1", "owner": "REP"}, "amount", "greater than or equal to 0"),
        ({"amount": "lots", "owner": "REP"}, "amount", "Enter a number."),
        ({"amount": "100", "owner": "REP", "team": "TEAM"}, "team", "not both"),
        ({"amount": "100", "owner": "REP", "deals": "0"}, "deals", "greater than or equal to 1"),
        ({"amount": "100", "owner": "REP", "period": "month:2026-06-15"}, "period", "valid choice"),
        ({"amount": "100", "owner": "OTHER"}, "owner", "valid choice"),
    ],
)
def test_an_invalid_quota_comes_back_with_the_error_beside_its_field(
    manager_client, htmx_headers, rep, other_rep, north, fields, field, message
):
    people = {"REP": rep.pk, "TEAM": north.pk, "OTHER": other_rep.pk}
    fields = {name: str(people.get(value, value)) for name, value in fields.items()}

    response = manager_client.post(f"{URL}set/", quota_post(**fields), headers=htmx_headers)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="quotas"')
    # The field is marked invalid, and its error follows it, before the next field.
    at = html.index(f'name="{field}"')
    assert 'aria-invalid="true"' in html[at : html.index(">", at)]
    assert message in html[at : html.find('<div class="mb-3">', at)]
    assert not Quota.objects.exists()


def test_manager_sees_her_teams_quotas_and_not_south_s(
    manager_client, rep, north, other_rep, south
):
    make_quota(owner=rep, amount="1111")
    make_quota(team=north, amount="2222")
    make_quota(owner=other_rep, amount="3333")
    make_quota(team=south, amount="4444")

    html = manager_client.get(URL).content.decode()

    assert "1,111.00" in html and "2,222.00" in html
    assert "3,333.00" not in html and "4,444.00" not in html
    assert "Charlie" not in html and "South" not in html


def test_rep_reads_her_own_quota_and_cannot_set_one(rep_client, rep, teammate, north):
    make_quota(owner=rep, amount="1111")
    make_quota(owner=teammate, amount="2222")
    make_quota(team=north, amount="3333")

    html = rep_client.get(URL).content.decode()
    posted = rep_client.post(f"{URL}set/", quota_post(owner=rep.pk, amount="99999"))

    assert "1,111.00" in html
    assert "2,222.00" not in html and "3,333.00" not in html
    assert 'action="/quotas/set/"' not in html
    assert posted.status_code == 404
    assert list(Quota.objects.values_list("amount", flat=True).order_by("amount")) == [
        Decimal("1111.00"),
        Decimal("2222.00"),
        Decimal("3333.00"),
    ]


def test_manager_removes_a_quota(manager_client, rep):
    quota = make_quota(owner=rep)

    response = manager_client.post(f"{URL}{quota.pk}/remove/", follow=True)

    assert not Quota.objects.exists()
    assert "The quota of Alice Rep for" in response.content.decode()


def test_another_team_s_quota_cannot_be_removed(manager_client, other_rep, rep_client, rep):
    south_quota = make_quota(owner=other_rep)
    own_quota = make_quota(owner=rep)

    assert manager_client.post(f"{URL}{south_quota.pk}/remove/").status_code == 404
    assert rep_client.post(f"{URL}{own_quota.pk}/remove/").status_code == 404
    assert Quota.objects.count() == 2


def test_change_fills_the_form_with_the_row_s_quota(manager_client, rep):
    make_quota(owner=rep, amount="4321", activities=50)

    html = manager_client.get(f"{URL}?period={month_value()}&rep={rep.pk}").content.decode()

    assert 'name="amount" value="4321.00"' in html
    assert 'name="activities" value="50"' in html
    assert f'<option value="{rep.pk}" selected>' in html


def test_quotas_page_is_a_fragment_for_htmx(manager_client, htmx_headers):
    fragment = manager_client.get(URL, headers=htmx_headers).content.decode()
    page = manager_client.get(URL).content.decode()

    assert fragment.lstrip().startswith('<div id="quotas"')
    assert "<html" in page and "<html" not in fragment


def test_quotas_page_methods_and_login(client, manager_client):
    assert manager_client.post(URL).status_code == 405
    assert manager_client.get(f"{URL}set/").status_code == 405
    assert client.get(URL)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("count", [1, 3])
def test_quotas_page_query_count(manager_client, north, count, django_assert_num_queries):
    from tests.factories import make_user

    for number in range(count):
        make_quota(owner=make_user(username=f"rep{number}", team=north), amount="100")
    make_quota(team=north)
    # session, user, the quotas of the period, the teams, the reps (rows), and the form's
    # reps and teams
    with django_assert_num_queries(7):
        html = manager_client.get(URL).content.decode()

    assert html.count('data-figure="amount"') == count + 1


def test_names_are_escaped_in_the_table(manager_client, north, rep):
    north.name = "<b>North</b>"
    north.save(update_fields=["name"])
    make_quota(team=north, amount="10")

    html = manager_client.get(URL).content.decode()

    assert "&lt;b&gt;North&lt;/b&gt; (team)" in html
    assert "<b>North</b>" not in html
