"""Login is required everywhere: walk the whole URLconf as an anonymous visitor.

A new URL is covered by this test the moment it is added; a page that must be public (with
``@login_not_required``) has to be named in PUBLIC below.
"""

import re
import uuid

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# Pages an anonymous visitor may open, by URL name (namespaced where the URL is).
PUBLIC = {
    "health",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "admin:login",
    "leads:web_form",
    # Calendar apps cannot log in: the token in the address is the key (a 404 without it).
    "calendar:feed",
}

# The admin's own index sends visitors to the admin's login page, which is as good.
LOGIN_PAGES = ("/accounts/login/?next=", "/admin/login/?next=")

API = "/api/v1/"
API_CHALLENGE = 'Bearer realm="api"'

SAMPLE_VALUES = ["1", str(uuid.uuid4()), "sample"]


def _sample(converter) -> str:
    return next(value for value in SAMPLE_VALUES if re.fullmatch(converter.regex, value))


def _routes(patterns, prefix="", namespace=""):
    """(name, path) for every URL made only of route patterns, with sample values filled in."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # regular expressions (the admin's catch-alls) have no sample path
        route = str(pattern.pattern)
        for name, converter in pattern.pattern.converters.items():
            route = re.sub(rf"<(?:\w+:)?{name}>", _sample(converter), route)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, prefix + route, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or prefix + route}", "/" + prefix + route


def test_every_page_but_the_public_ones_sends_an_anonymous_visitor_to_log_in(db):
    client = Client()
    open_to_anyone, wrongly_open = set(), []

    for name, path in _routes(get_resolver().url_patterns):
        response = client.get(path)
        if path.startswith(API) and name != "api:docs":
            # The API answers for itself, in JSON, asking for a token.
            if response.status_code != 401 or response["WWW-Authenticate"] != API_CHALLENGE:
                wrongly_open.append((name, path, response.status_code))
            continue
        if response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES):
            continue
        if name in PUBLIC:
            open_to_anyone.add(name)
        else:
            wrongly_open.append((name, path, response.status_code))

    assert wrongly_open == []
    assert open_to_anyone == PUBLIC


def test_an_anonymous_htmx_request_is_redirected_by_htmx(db, htmx_headers):
    response = Client().get("/", headers=htmx_headers)

    assert (response.status_code, response["HX-Redirect"]) == (200, "/accounts/login/?next=/")
