"""No form of the app answers a server error, whatever is typed or forged into its fields.

Every page of the app is opened by a rep and by an admin; each POST form it shows is then sent
back with generated values in some of its fields (any text, NUL characters included, huge and
negative numbers, impossible dates, ids of nothing, several values for one field), as a plain
post and as HTMX. Whatever the answer (the form again with its messages, a refusal, a
redirect), it is never a 5xx."""

import datetime
from urllib.parse import urljoin

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.posted import post_forms
from tests.properties.rollback import EXAMPLES, rolled_back
from tests.url_walk import records, urls

typed = st.one_of(
    st.text(max_size=200),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.sampled_from(
        ["", " ", "0", "-1", "1e309", "2026-02-30", "31/12/2026", "\x00", "on", "null", "[]"]
    ),
)
# What a forged post may hold for one field: one value or several.
values = st.one_of(typed, st.lists(typed, min_size=2, max_size=3))


def forms_on_pages(client) -> dict[tuple[str, frozenset], dict]:
    """Each distinct POST form (its action and field names) on the app's pages, as loaded."""
    found = {}
    for walked in walk:
        if walked.name.startswith("admin:") or walked.name in SKIPPED:
            continue
        response = client.get(walked.path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for action, fields in post_forms(response):
            target = urljoin(walked.path, action) if action else walked.path
            if target.startswith(("/admin/", "http")):
                continue
            found.setdefault((target, frozenset(fields)), fields)
    return found


# Leaving the session would leave the rest of the walk logged out.
SKIPPED = {"logout"}
walk: list = []


@pytest.mark.parametrize("who", ["rep", "admin"])
def test_no_form_answers_a_server_error_whatever_is_posted(rep, manager, admin_user, who):
    user = {"rep": rep, "admin": admin_user}[who]
    walk[:] = list(urls(records(owner=rep, manager=manager, marker="North")))
    client = Client()
    client.force_login(user)
    forms = forms_on_pages(client)
    assert len(forms) > 20, "the walk found too few forms to prove anything"

    for (target, names), loaded in forms.items():
        forge(client, user, target, loaded, sorted(names))


def forge(client, user, target: str, loaded: dict, names: list[str]) -> None:
    @settings(EXAMPLES, max_examples=5)
    @given(
        forged=st.fixed_dictionaries({}, optional=dict.fromkeys(names, values)),
        htmx=st.booleans(),
    )
    def post(forged, htmx):
        with rolled_back():
            client.force_login(user)
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.post(target, loaded | forged, headers=headers)
            assert response.status_code < 500, (target, forged)

    post()
