import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from leads.forms import WebLeadForm
from leads.models import Lead, WebSubmission
from tests.factories import make_lead, make_user

URL = reverse("leads:web_form")
THANKS = f"{URL}?sent=1"


def started(seconds_ago: float = 10, address: str = "127.0.0.1") -> str:
    """The form's start token as the form served it to ``address`` (the test client's)."""
    return WebLeadForm.start_token(address, now=time.time() - seconds_ago)


def yesterdays_stamp() -> str:
    """A start token signed a day and more ago: past the form's day of validity."""
    with mock.patch("time.time", return_value=time.time() - 90000):
        return started(seconds_ago=0)


def submission(**overrides) -> dict:
    data = {
        "name": "Grace Hopper",
        "email": "grace@navy.example",
        "phone": "+34 612 345 678",
        "company": "Navy",
        "message": "Call me about compilers.",
        "website": "",
        "started": started(),
    }
    data.update(overrides)
    return data


def test_anonymous_visitor_sees_the_public_form_without_navigation(client, db):
    body = client.get(URL).content.decode()

    assert 'name="name"' in body
    assert 'name="started"' in body
    assert "navbar" not in body
    assert "Log out" not in body


def test_submission_creates_a_web_lead_and_thanks(client, web_team, rep, web_source):
    response = client.post(URL, submission())

    assert response["Location"] == THANKS
    lead = Lead.objects.get()
    assert (lead.first_name, lead.last_name, lead.email, lead.company_name) == (
        "Grace",
        "Hopper",
        "grace@navy.example",
        "Navy",
    )
    assert (lead.source.code, lead.status, lead.team, lead.owner) == ("web", "new", web_team, rep)
    assert lead.notes == "Call me about compilers."
    assert "Thank you" in client.get(THANKS).content.decode()


def test_web_leads_go_round_robin_among_active_team_members(client, web_team, rep, teammate):
    make_user(username="gone", team=web_team, is_active=False)

    owners = []
    for number in range(4):
        client.post(URL, submission(email=f"p{number}@x.example"))
        owners.append(Lead.objects.order_by("-pk").first().owner)

    assert owners == [rep, teammate, rep, teammate]


def test_without_members_the_lead_is_unowned_but_in_the_team(client, settings, south):
    settings.WEB_LEADS_TEAM = south.name

    client.post(URL, submission())

    lead = Lead.objects.get()
    assert (lead.owner, lead.team) == (None, south)


def test_without_a_configured_team_the_lead_is_unowned(client, db, settings):
    settings.WEB_LEADS_TEAM = ""
    client.post(URL, submission())
    assert Lead.objects.get().owner is None


def test_a_filled_honeypot_is_held_and_the_sender_thanked(client, web_team):
    response = client.post(
        URL,
        submission(website="http://spam.example"),
        headers={"user-agent": "Mozilla/5.0 " + "x" * 400},
        REMOTE_ADDR="203.0.113.5",
    )

    assert response["Location"] == THANKS
    assert Lead.objects.count() == 0
    held = WebSubmission.objects.get()
    assert (held.name, held.email, held.phone, held.company, held.message, held.website) == (
        "Grace Hopper",
        "grace@navy.example",
        "+34612345678",
        "Navy",
        "Call me about compilers.",
        "http://spam.example",
    )
    assert (held.reason, held.get_reason_display()) == ("honeypot", "Hidden field filled in")
    assert (held.address, held.team, held.status) == ("203.0.113.5", web_team, "held")
    assert held.user_agent == ("Mozilla/5.0 " + "x" * 400)[:300]
    assert (held.reviewed_by, held.reviewed_at, held.lead) == (None, None, None)


@pytest.mark.parametrize(
    "stamp, reason",
    [
        (lambda: started(seconds_ago=0.5), "too_fast"),
        (lambda: "forged", "forged_start"),
        (lambda: signing.dumps(time.time() - 10, salt=WebLeadForm.SALT), "forged_start"),
        (lambda: signing.dumps({"t": time.time() - 10}, salt="another-form"), "forged_start"),
        (lambda: yesterdays_stamp(), "forged_start"),
        (lambda: "", "no_start"),
    ],
    ids=["too-fast", "forged", "older-format", "other-salt", "expired", "missing"],
)
def test_too_fast_or_forged_timestamps_are_held_and_the_sender_thanked(
    client, web_team, stamp, reason
):
    response = client.post(URL, submission(started=stamp()))

    assert response["Location"] == THANKS
    assert Lead.objects.count() == 0
    assert list(WebSubmission.objects.values_list("name", "reason", "team")) == [
        ("Grace Hopper", reason, web_team.pk)
    ]


def test_a_fast_post_reads_as_too_fast_in_the_review(client, web_team):
    client.post(URL, submission(started=started(seconds_ago=0.2)))

    assert WebSubmission.objects.get().get_reason_display() == "Sent too fast"


def test_a_held_message_without_a_configured_team_has_none(client, db, settings):
    settings.WEB_LEADS_TEAM = ""

    client.post(URL, submission(started=""))

    assert WebSubmission.objects.get().team is None


def test_an_empty_form_is_an_error_beside_the_fields(client, web_team):
    response = client.post(URL, {"name": "", "email": "", "phone": "", "started": started(0)})

    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body
    assert "Give us an email address or a phone number." in body
    assert "Thank you" not in body
    assert (Lead.objects.count(), WebSubmission.objects.count()) == (0, 0)


def test_bad_input_gets_errors_beside_fields(client, web_team):
    response = client.post(URL, submission(name="", email="nope", phone=""))

    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body
    assert "Enter a valid email address." in body
    assert Lead.objects.count() == 0


def test_field_lengths_are_capped(client, web_team):
    response = client.post(URL, submission(message="x" * 2001, company="c" * 201))

    body = response.content.decode()
    assert "Ensure this value has at most 2000 characters (it has 2001)." in body
    assert "Ensure this value has at most 200 characters (it has 201)." in body
    assert Lead.objects.count() == 0


def test_the_form_never_shows_internal_data(client, web_team, rep):
    make_lead(last_name="Secretlead", email="grace@navy.example", owner=rep)

    body = client.post(URL, submission(email="bad")).content.decode()

    assert "Secretlead" not in body
    assert rep.username not in body
    assert web_team.name not in body


def test_submissions_per_address_are_rate_limited(client, web_team, settings):
    settings.WEB_LEADS_RATE_LIMIT = 3
    for number in range(3):
        assert client.post(URL, submission(email=f"p{number}@x.example")).status_code == 302

    response = client.post(URL, submission(email="p9@x.example", message="Line one\nline two"))

    body = response.content.decode()
    assert response.status_code == 429
    assert (
        "Too many messages from your address. Please try again later, or write to us or call us."
    ) in body
    # The window slides: this window's messages leave the count as the next one passes.
    assert 0 < int(response["Retry-After"]) <= 2 * settings.WEB_LEADS_RATE_WINDOW
    # What they typed comes back for them to copy; nothing is stored.
    for typed in ("Grace Hopper", "p9@x.example", "+34 612 345 678", "Navy", "Line one\nline two"):
        assert typed in body
    assert Lead.objects.count() == 3
    assert WebSubmission.objects.count() == 0
    # another address is not affected
    other = Client(REMOTE_ADDR="10.0.0.7")
    sent = other.post(URL, submission(email="q@x.example", started=started(address="10.0.0.7")))
    assert sent.status_code == 302
    assert Lead.objects.count() == 4


def test_web_form_wrong_method(client, db):
    assert client.put(URL).status_code == 405


def test_email_or_phone_is_needed(client, web_team):
    body = client.post(URL, submission(email="", phone="")).content.decode()
    assert "Give us an email address or a phone number." in body
    assert Lead.objects.count() == 0


def test_the_refusal_escapes_what_was_typed(client, web_team, settings):
    settings.WEB_LEADS_RATE_LIMIT = 0

    response = client.post(URL, submission(name="<script>alert(1)</script>", email=""))

    body = response.content.decode()
    assert response.status_code == 429
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


def test_the_limit_slides_over_the_end_of_a_window(client, web_team, settings):
    settings.WEB_LEADS_RATE_LIMIT = 3
    settings.WEB_LEADS_RATE_WINDOW = 600
    window_end = (time.time() // 600 + 1) * 600
    with mock.patch("time.time", return_value=window_end - 5):  # three just before the end
        sent = [client.post(URL, submission(email=f"p{n}@x.example")) for n in range(3)]
    with mock.patch("time.time", return_value=window_end + 5):  # and one just after it
        fourth = client.post(URL, submission(email="p3@x.example"))

    assert [response.status_code for response in sent] == [302] * 3
    assert fourth.status_code == 429
    # The three fall out of the count as the window slides past them, within a window.
    assert 0 < int(fourth["Retry-After"]) <= 600
    assert Lead.objects.count() == 3


def test_a_held_spam_post_counts_against_the_rate_limit(client, web_team, settings):
    settings.WEB_LEADS_RATE_LIMIT = 1
    client.post(URL, submission(website="http://spam.example"))

    response = client.post(URL, submission(website="http://spam.example"))

    assert response.status_code == 429
    assert WebSubmission.objects.count() == 1


# --- one token, one message ------------------------------------------------------------------


def test_the_served_form_carries_a_token_for_that_client_only(client, web_team):
    page = client.get(URL).content.decode()
    token = re.search(r'name="started" value="([^"]+)"', page).group(1)
    with mock.patch("time.time", return_value=time.time() + 10):
        sent = client.post(URL, submission(started=token))
        replayed = client.post(URL, submission(started=token, email="again@x.example"))
        borrowed = Client(REMOTE_ADDR="198.51.100.9").post(
            URL, submission(started=started(), email="other@x.example")
        )

    assert [r["Location"] for r in (sent, replayed, borrowed)] == [THANKS] * 3
    assert Lead.objects.get().email == "grace@navy.example"
    assert sorted(WebSubmission.objects.values_list("email", "reason")) == [
        ("again@x.example", "reused_start"),
        ("other@x.example", "other_client"),
    ]


def test_a_form_sent_back_with_errors_keeps_its_token_good(client, web_team):
    token = started()
    client.post(URL, submission(started=token, email="", phone=""))  # an error beside the field

    client.post(URL, submission(started=token))

    assert Lead.objects.count() == 1
    assert WebSubmission.objects.count() == 0


# --- the same person writing again -------------------------------------------------------------


def test_writing_again_adds_the_message_to_the_lead_being_worked(client, web_team, rep):
    client.post(URL, submission())

    client.post(
        URL,
        submission(email="GRACE@navy.example", phone="", message="Any news?", started=started()),
    )

    lead = Lead.objects.get()
    note = lead.activities.get()
    assert (note.kind, note.subject, note.owner) == (
        "note",
        "Wrote again through the web form",
        rep,
    )
    assert note.notes == "Name: Grace Hopper\nCompany: Navy\n\nAny news?"
    assert note.done_at is not None


def test_writing_again_after_the_lead_was_closed_makes_a_new_lead(client, web_team, rep):
    client.post(URL, submission())
    Lead.objects.update(status=Lead.Status.DISQUALIFIED)

    client.post(URL, submission(message="Second try", started=started()))

    assert Lead.objects.count() == 2
    assert Lead.objects.order_by("-pk").first().notes == "Second try"
