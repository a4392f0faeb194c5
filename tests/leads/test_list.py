import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead, LeadConversion, LeadStatusChange
from tests.factories import make_activity, make_contact, make_lead, make_lead_source, make_user

URL = reverse("leads:list")


def names(response):
    return [lead.last_name for lead in response.context["leads"]]


def test_list_opens_on_the_promising_leads_the_rep_can_see(
    rep_client, rep, teammate, north, other_rep
):
    make_lead(last_name="Mine", owner=rep)
    make_lead(last_name="Unowned", owner=None, team=north)
    make_lead(last_name="Qualified", owner=rep, status=Lead.Status.QUALIFIED)
    make_lead(last_name="Dropped", owner=rep, status=Lead.Status.DISQUALIFIED)
    make_lead(last_name="Won", owner=rep, status=Lead.Status.CONVERTED)
    make_lead(last_name="Bobs", owner=teammate)
    make_lead(last_name="Charlies", owner=other_rep)

    response = rep_client.get(URL)

    assert sorted(names(response)) == ["Mine", "Qualified", "Unowned"]
    assert "Charlies" not in response.content.decode()


def test_a_lead_nobody_owns_says_unassigned(rep_client, north):
    lead = make_lead(last_name="Unowned", owner=None, team=north)

    html = rep_client.get(URL).content.decode()

    row = html.split(f'id="lead-row-{lead.pk}"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="text-body-secondary">Unassigned</span>' in row


def test_disqualified_and_converted_are_one_filter_away(rep_client, rep):
    make_lead(last_name="Mine", owner=rep)
    make_lead(last_name="Dropped", owner=rep, status=Lead.Status.DISQUALIFIED)
    make_lead(last_name="Won", owner=rep, status=Lead.Status.CONVERTED)

    assert names(rep_client.get(URL, {"status": "disqualified"})) == ["Dropped"]
    assert names(rep_client.get(URL, {"status": "converted"})) == ["Won"]
    assert sorted(names(rep_client.get(URL, {"status": "all"}))) == ["Dropped", "Mine", "Won"]


def test_search_matches_name_company_email_and_phone(rep_client, rep):
    make_lead(first_name="Jane", last_name="Doe", owner=rep)
    make_lead(last_name="Roe", company_name="Globex", owner=rep)
    make_lead(last_name="Poe", email="poe@initech.example", owner=rep)
    make_lead(last_name="Moe", phone="+34 (600) 123-456", owner=rep)

    assert names(rep_client.get(URL, {"q": "jane doe"})) == ["Doe"]
    assert names(rep_client.get(URL, {"q": "globex"})) == ["Roe"]
    assert names(rep_client.get(URL, {"q": "INITECH"})) == ["Poe"]
    assert names(rep_client.get(URL, {"q": "600123"})) == ["Moe"]


def test_search_by_a_whole_email_finds_that_address_only(rep_client, rep):
    make_lead(last_name="Ana", email="Ana@Acme.example", owner=rep)
    make_lead(last_name="Diana", email="diana@acme.example", owner=rep)

    assert names(rep_client.get(URL, {"q": " ana@acme.EXAMPLE "})) == ["Ana"]
    assert sorted(names(rep_client.get(URL, {"q": "@acme.example"}))) == ["Ana", "Diana"]


def test_filters_by_source_owner_and_created_range(manager_client, rep, teammate):
    fair = make_lead_source(name="Fair")
    old = make_lead(last_name="Old", owner=rep, source=fair)
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    make_lead(last_name="Fresh", owner=teammate, source=fair)
    make_lead(last_name="Other", owner=teammate)
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    assert sorted(names(manager_client.get(URL, {"source": fair.pk}))) == ["Fresh", "Old"]
    assert names(manager_client.get(URL, {"owner": rep.pk})) == ["Old"]
    assert sorted(names(manager_client.get(URL, {"created_after": since}))) == ["Fresh", "Other"]
    assert names(manager_client.get(URL, {"source": fair.pk, "created_before": since})) == ["Old"]


def test_sorts_by_name_both_ways(rep_client, rep):
    for name in ("Bravo", "Alpha", "Charlie"):
        make_lead(last_name=name, owner=rep)

    assert names(rep_client.get(URL, {"sort": "name"})) == ["Alpha", "Bravo", "Charlie"]
    assert names(rep_client.get(URL, {"sort": "-name"})) == ["Charlie", "Bravo", "Alpha"]


def test_list_pages_by_25(rep_client, rep):
    for number in range(27):
        make_lead(last_name=f"L{number:02}", owner=rep)

    response = rep_client.get(URL, {"sort": "name", "page": 2})

    assert names(response) == ["L25", "L26"]
    assert "Page 2 of 2" in response.content.decode()


def test_htmx_request_gets_the_table_only(rep_client, rep, htmx_headers):
    make_lead(last_name="Mine", owner=rep)

    response = rep_client.get(URL, {"q": "mine"}, headers=htmx_headers)

    body = response.content.decode()
    assert 'id="lead-list"' in body
    assert "<html" not in body
    assert "Mine" in body
    assert "HX-Request" in response["Vary"]


def test_full_page_without_htmx(rep_client):
    body = rep_client.get(URL).content.decode()
    assert "<html" in body
    assert 'id="lead-list"' in body


def test_bulk_bar_is_for_managers_only(rep_client, manager_client, rep):
    make_lead(owner=rep)
    assert 'id="bulk-form"' not in rep_client.get(URL).content.decode()
    assert 'id="bulk-form"' in manager_client.get(URL).content.decode()


def test_list_wrong_method_is_405(rep_client):
    response = rep_client.post(URL)
    assert response.status_code == 405


def test_list_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_list_filters_the_new_leads_nobody_contacted_yet(rep_client, rep, north, teammate):
    make_lead(last_name="Fresh", owner=rep)
    called = make_lead(last_name="Called", owner=rep)
    make_activity(lead=called, owner=rep, kind="note", due_date=None, done_at=timezone.now())
    make_lead(last_name="Working", owner=rep, status=Lead.Status.WORKING)

    response = rep_client.get(URL, {"status": "new", "untouched": "on"})

    assert names(response) == ["Fresh"]
    assert 'name="untouched" class="form-check-input" id="id_untouched" checked' in (
        response.content.decode()
    )


def test_list_filters_the_leads_nobody_here_owns(manager_client, rep, north):
    gone = make_user(username="gone", team=north, is_active=False)
    make_lead(last_name="Mine", owner=rep)
    make_lead(last_name="Nobody's", owner=None, team=north)
    make_lead(last_name="Left behind", owner=gone)

    response = manager_client.get(URL, {"unassigned": "on"})

    assert sorted(names(response)) == ["Left behind", "Nobody's"]


@pytest.mark.parametrize("rows", [1, 3])
def test_untouched_list_query_count_does_not_grow(rep_client, rep, rows, django_assert_num_queries):
    for _ in range(rows):
        make_lead(owner=rep, source=make_lead_source())
        make_activity(lead=make_lead(owner=rep), owner=rep)
    # as the list without filters: whether a lead was touched is part of the count and page
    with django_assert_num_queries(8):
        response = rep_client.get(URL, {"status": "new", "untouched": "on"})
    assert len(response.context["leads"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count_does_not_grow(rep_client, rep, rows, django_assert_num_queries):
    for _ in range(rows):
        make_lead(owner=rep, source=make_lead_source())
    # session, user, the user's team (in the menu), the source, owner and team choices of
    # the filter form, the count, the page of leads (with owner, team and source joined)
    with django_assert_num_queries(8):
        response = rep_client.get(URL)
    assert len(response.context["leads"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_manager_list_query_count_does_not_grow(
    manager_client, rep, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_lead(owner=rep, source=make_lead_source())
    # as for a rep (but a manager has no team of their own in the menu), plus the owner
    # and reason choices of the bulk bar, and the number of held web-form messages
    with django_assert_num_queries(10):
        response = manager_client.get(URL)
    assert len(response.context["leads"]) == rows


def test_a_reps_owner_filter_offers_only_whose_leads_they_see(rep_client, rep, teammate):
    response = rep_client.get(reverse("leads:list"))

    owners = list(response.context["filter"].form.fields["owner"].queryset)
    assert owners == [rep]  # Bob's leads are not Alice's to see


def test_a_managers_owner_filter_offers_their_people(manager_client, manager, rep, teammate):
    response = manager_client.get(reverse("leads:list"))

    owners = set(response.context["filter"].form.fields["owner"].queryset)
    assert owners == {manager, rep, teammate}


def _on(day: int, month: int = 5) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 12, tzinfo=datetime.UTC)


def test_list_finds_the_leads_qualified_in_a_period_whenever_they_came_in(manager_client, rep):
    april = make_lead(last_name="Came in April", owner=rep, status=Lead.Status.QUALIFIED)
    Lead.objects.filter(pk=april.pk).update(created_at=_on(10, 4))
    twice = make_lead(last_name="Qualified in April and June", owner=rep)
    make_lead(last_name="Never qualified", owner=rep)
    LeadStatusChange.objects.create(lead=april, to_status="qualified", changed_at=_on(12))
    for day in (_on(3, 4), _on(3, 6)):
        LeadStatusChange.objects.create(lead=twice, to_status="qualified", changed_at=day)

    response = manager_client.get(
        URL, {"status": "all", "qualified_after": "2026-05-01", "qualified_before": "2026-05-31"}
    )

    assert names(response) == ["Came in April"]


def test_list_finds_the_leads_converted_in_a_period(manager_client, rep):
    converted = make_lead(last_name="Converted", owner=rep, status=Lead.Status.CONVERTED)
    LeadConversion.objects.create(
        lead=converted, contact=make_contact(owner=rep), converted_at=_on(4)
    )
    make_lead(last_name="Working", owner=rep, status=Lead.Status.WORKING)

    may = manager_client.get(
        URL, {"status": "all", "converted_after": "2026-05-01", "converted_before": "2026-05-31"}
    )
    june = manager_client.get(URL, {"status": "all", "converted_after": "2026-06-01"})

    assert names(may) == ["Converted"]
    assert names(june) == []


def test_list_finds_the_leads_of_nobody(manager_client, rep, north):
    make_lead(last_name="Unowned", owner=None, team=north)
    make_lead(last_name="Alices", owner=rep)

    response = manager_client.get(URL, {"owner": "null"})

    assert names(response) == ["Unowned"]
