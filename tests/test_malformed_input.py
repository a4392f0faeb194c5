"""Input no browser sends (an address that is no URL, a NUL character) is answered as if it
were absent, never with a server error and a traceback in the log."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import make_company, make_lead, make_opportunity
from tests.posted import form_data

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


@pytest.mark.parametrize("back", ["0", "board", "%", "2026-12-07", "https://evil.example/"])
def test_a_move_whose_next_is_no_path_of_ours_goes_back_to_the_board(rep_client, rep, back):
    deal = make_opportunity(owner=rep)
    later = deal.pipeline.stages.exclude(pk=deal.stage_id).order_by("order").first()

    response = rep_client.post(
        reverse("opportunities:move", args=[deal.pk]), {"stage": later.pk, "next": back}
    )

    deal.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:board")
    assert deal.stage == later


# --- NUL characters -------------------------------------------------------------------------


def test_a_nul_in_the_company_pickers_search_is_dropped(rep_client, rep):
    make_company(owner=rep, name="Acme")

    response = rep_client.get(reverse("crm:company_options"), {"q": "Ac\x00me"})

    assert response.status_code == 200
    assert "Acme" in response.text


def test_a_nul_in_a_list_search_and_the_admin_autocomplete_is_dropped(admin_client):
    make_company(name="Acme")

    listed = admin_client.get(reverse("crm:company_list"), {"q": "\x00Acme"})
    autocomplete = admin_client.get(
        "/admin/autocomplete/",
        {"term": "Ac\x00me", "app_label": "crm", "model_name": "contact", "field_name": "company"},
    )

    assert (listed.status_code, autocomplete.status_code) == (200, 200)
    assert "Acme" in listed.text
    assert [row["text"] for row in autocomplete.json()["results"]] == ["Acme"]


def test_a_nul_in_a_posted_form_is_dropped(rep_client, rep):
    lead = make_lead(owner=rep)
    url = reverse("leads:edit", args=[lead.pk])
    fields = form_data(rep_client.get(url))

    # As a browser posts a form: urlencoded.
    rep_client.post(
        url,
        urlencode(fields | {"last_name": "Nu\x00ll"}, doseq=True),
        content_type="application/x-www-form-urlencoded",
    )

    lead.refresh_from_db()
    assert lead.last_name == "Null"
