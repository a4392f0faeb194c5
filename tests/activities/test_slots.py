"""The two include points other pages use, rendered as those pages will render them."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from activities.models import with_activity_badges
from crm.timeline import build_timeline
from opportunities.models import Opportunity
from tests.factories import make_activity, make_company, make_contact, make_lead, make_opportunity


@pytest.fixture
def request_for(rep):
    def _request():
        request = RequestFactory().get("/somewhere/")
        request.user = rep
        request.htmx = False
        return request

    return _request


@pytest.mark.parametrize("factory", [make_opportunity, make_lead, make_contact, make_company])
def test_timeline_slot_renders_for_every_kind_of_record(
    rep, request_for, factory, django_assert_num_queries
):
    record = factory(owner=rep)
    kind = record._meta.model_name
    make_activity(owner=rep, subject="Spoke to them", done_at=timezone.now(), **{kind: record})
    context = {"record": record, "activity_timeline": build_timeline(record, user=rep)}
    with django_assert_num_queries(0):  # everything was prepared in Python
        html = render_to_string("includes/timeline_slot.html", context, request=request_for())
    assert f'id="timeline-{kind}-{record.pk}"' in html
    assert "Spoke to them" in html
    assert f"/activities/log/?{kind}={record.pk}&amp;slot=timeline" in html


def test_timeline_slot_without_context_loads_itself(rep, request_for, django_assert_num_queries):
    deal = make_opportunity(owner=rep)
    with django_assert_num_queries(0):
        html = render_to_string(
            "includes/timeline_slot.html", {"record": deal}, request=request_for()
        )
    assert f'hx-get="/activities/timeline/?opportunity={deal.pk}" hx-trigger="load"' in html


@pytest.mark.parametrize("rows", [1, 3])
def test_card_slots_of_a_board_need_one_query(rep, request_for, rows, django_assert_num_queries):
    for number in range(rows):
        deal = make_opportunity(owner=rep, name=f"Deal {number}")
        make_activity(
            opportunity=deal,
            owner=rep,
            subject=f"Late {number}",
            due_date=timezone.localdate() - datetime.timedelta(days=1),
        )
    request = request_for()
    # the board's deals with their owners, annotated with their badges
    deals = with_activity_badges(Opportunity.objects.visible_to(rep)).select_related("owner")
    with django_assert_num_queries(1):
        cards = [
            render_to_string(
                "includes/card_activity_slot.html", {"opportunity": deal}, request=request
            )
            for deal in deals
        ]
    assert [("Overdue" in card, "No next step" in card) for card in cards] == [(True, False)] * rows
    assert "Task: Late 0" in cards[0]
