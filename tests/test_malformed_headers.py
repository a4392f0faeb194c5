"""A request htmx never sent, with an address that is no URL: answered as if the header were
absent, never with a server error and a traceback in the log."""

import pytest
from django.urls import reverse

from tests.factories import make_lead, make_opportunity

BROKEN = {"HX-Request": "true", "HX-Current-URL": "http://[::1"}


def test_an_anonymous_request_with_a_broken_address_is_sent_to_log_in(client):
    response = client.get("/leads/", headers=BROKEN)

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/"


@pytest.mark.parametrize("action", ["start_working", "qualify"])
def test_a_lead_status_change_with_a_broken_address_still_changes_it(rep_client, rep, action):
    lead = make_lead(owner=rep)

    response = rep_client.post(
        reverse("leads:change_status", args=[lead.pk]), {"action": action}, headers=BROKEN
    )

    lead.refresh_from_db()
    assert response.status_code == 200
    assert lead.status != "new"


def test_the_board_and_a_move_with_a_broken_address_answer(rep_client, rep):
    deal = make_opportunity(owner=rep)
    later = deal.pipeline.stages.exclude(pk=deal.stage_id).order_by("order").first()

    board = rep_client.get(reverse("opportunities:board"), headers=BROKEN)
    move = rep_client.post(
        reverse("opportunities:move", args=[deal.pk]), {"stage": later.pk}, headers=BROKEN
    )

    deal.refresh_from_db()
    assert (board.status_code, move.status_code) == (200, 200)
    assert deal.stage == later
