"""Allowed requests pay nothing for the security log: the same queries as before it, and no
row written. (The literals are those of the lists' and pages' own query-count tests.)"""

import pytest
from django.urls import reverse

from crm.models import SecurityEvent
from tests.factories import make_company, make_opportunity


@pytest.mark.parametrize("rows", [1, 3])
def test_a_list_page_runs_the_same_queries_with_the_log(
    alice_browser, rep, rows, django_assert_num_queries
):
    for number in range(rows):
        make_company(name=f"Company {number}", owner=rep)
    before = SecurityEvent.objects.count()

    # As tests/crm/test_company_views.py counts them: session, user, paginator count, team,
    # the filter choices (owners, teams, industries), the page of companies.
    with django_assert_num_queries(8):
        response = alice_browser.get(reverse("crm:company_list"))

    assert response.status_code == 200
    assert SecurityEvent.objects.count() == before


def test_a_record_page_finds_its_record_in_one_query_as_before(
    alice_browser, rep, stages, django_assert_num_queries
):
    deal = make_opportunity(name="Acme renewal", owner=rep, stage=stages[0])
    before = SecurityEvent.objects.count()

    # As tests/opportunities/test_detail.py counts them (no history here).
    with django_assert_num_queries(12):
        response = alice_browser.get(reverse("opportunities:detail", args=[deal.pk]))

    assert "Acme renewal" in response.content.decode()
    assert SecurityEvent.objects.count() == before
