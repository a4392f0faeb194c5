"""A deal's timeline reads the emails behind its Email activities in one query, however many."""

import pytest
from django.utils import timezone

from crm.timeline import build_timeline
from tests.factories import make_activity, make_outbound_email

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [1, 3])
def test_timeline_with_emails_query_count(rep, deal, rows, django_assert_num_queries):
    for number in range(rows):
        make_outbound_email(
            activity=make_activity(
                opportunity=deal,
                owner=rep,
                kind="email",
                subject=f"Email {number}",
                done_at=timezone.now(),
            ),
            status="sent",
        )

    # the deal's badges, its activities, their emails, its changes, its activities' field
    # changes
    with django_assert_num_queries(5):
        timeline = build_timeline(deal, user=rep)

    details = [entry.activity.detail for entry in timeline.history if entry.activity]
    assert sorted(email.subject for email in details) == [f"Email {n}" for n in range(rows)]


def test_an_activity_that_is_not_an_email_costs_no_query_for_emails(
    rep, deal, django_assert_num_queries
):
    make_activity(opportunity=deal, owner=rep, kind="call", done_at=timezone.now())

    # the deal's badges, its activities, its changes, its activities' field changes
    with django_assert_num_queries(4):
        timeline = build_timeline(deal, user=rep)

    assert [entry.activity.kind for entry in timeline.history if entry.activity] == ["call"]
