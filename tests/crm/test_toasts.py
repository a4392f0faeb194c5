"""Messages drawn as toasts (templates/includes/messages.html, infra.toasts)."""

from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory

from infra.toasts import Undo, undo_of, undo_tags
from tests.asserts import assert_shows


def request_with(*added):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    for level, text, tags in added:
        messages.add_message(request, level, text, extra_tags=tags)
    return request


def toasts(html: str) -> list[str]:
    return html.split('class="toast-message')[1:]


def test_a_success_hides_itself_and_an_error_stays():
    request = request_with((messages.SUCCESS, "Saved.", ""), (messages.ERROR, "Refused.", ""))

    html = render_to_string("includes/messages.html", {}, request=request)

    saved, refused = toasts(html)
    assert html.lstrip().startswith('<div id="messages" class="toast-region" aria-live="polite">')
    assert ("alert-success" in saved, "data-autohide" in saved) == (True, True)
    assert ("alert-danger" in refused, "data-autohide" in refused) == (True, False)


def test_after_an_htmx_action_the_toasts_are_added_to_the_region():
    request = request_with((messages.INFO, "Noted.", ""))

    html = render_to_string("includes/messages.html", {"oob": True}, request=request)

    assert html.lstrip().startswith('<div hx-swap-oob="beforeend:#messages">')
    assert 'id="messages"' not in html
    assert "Noted." in html


def test_a_message_with_an_undo_draws_its_form():
    tags = undo_tags("/opportunities/7/undo/?owner=3", inline=True, action="won", version=4)
    request = request_with((messages.SUCCESS, "Won.", tags))

    html = render_to_string("includes/messages.html", {}, request=request)

    form = html.split("<form", 1)[1].split("</form>", 1)[0]
    assert_shows(
        form,
        'method="post" action="/opportunities/7/undo/?owner=3"',
        'hx-post="/opportunities/7/undo/?owner=3"',
        'name="csrfmiddlewaretoken"',
        '<input type="hidden" name="action" value="won">',
        '<input type="hidden" name="version" value="4">',
        ">Undo</button>",
    )


def test_undo_tags_round_trip_and_ignore_another_site():
    message = messages.storage.base.Message(
        messages.SUCCESS, "Moved.", extra_tags=undo_tags("/o/1/undo/", action="move", version=2)
    )
    elsewhere = messages.storage.base.Message(
        messages.SUCCESS, "Moved.", extra_tags=undo_tags("//evil.example/", action="move")
    )

    assert undo_of(message) == Undo(
        url="/o/1/undo/", fields=[("action", "move"), ("version", "2")], inline=False
    )
    assert undo_of(elsewhere) is None
    assert undo_of(messages.storage.base.Message(messages.INFO, "Plain.")) is None
