"""Every page needs a login, except a short, explicit list.

The whole URLconf is walked, so a view added later without thinking about it is covered too.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

# Pages an anonymous visitor may open. Anything else must send them to log in.
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
    "set_language",
    "admin:login",
    # The public lead form, once it exists (see the leads app).
    "leads:public_form",
}

# Path parameters are filled with 1, except where a pattern accepts only some values.
SAMPLE_VALUES = {"app_label": "crm"}


def _fill(regex: str) -> str:
    """A concrete path matching ``regex``: each named group becomes a sample value."""

    def value(match: re.Match) -> str:
        return SAMPLE_VALUES.get(match.group(1), "1")

    path = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", value, regex)
    return path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")


def walk(patterns=None, prefix="", namespace=""):
    """(name, path) for every URL pattern, nested includes and namespaces included."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        regex = pattern.pattern.regex.pattern
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + _fill(regex), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed>"
            yield name, "/" + prefix + _fill(regex)


ALL_URLS = sorted(set(walk()))


def test_the_walk_finds_the_apps_pages():
    names = {name for name, _ in ALL_URLS}

    assert {"home", "crm:company_list", "crm:contact_detail", "admin:index"} <= names
    assert len(ALL_URLS) > 40


@pytest.mark.parametrize(("name", "path"), ALL_URLS, ids=[f"{n} {p}" for n, p in ALL_URLS])
def test_anonymous_visitor_is_sent_to_log_in(client, db, name, path):
    if name in PUBLIC:
        pytest.skip("public on purpose")
    # The filled-in path must reach the pattern it was built from.
    match = resolve(path)
    assert f"{match.namespace}:{match.url_name}".lstrip(":") == name or name.endswith("<unnamed>")

    response = client.get(path)

    # Admin pages may use the admin's own login page, which leads to the same accounts.
    logins = (
        ["/accounts/login/", "/admin/login/"] if name.startswith("admin:") else ["/accounts/login/"]
    )
    assert response.status_code == 302, (name, path, response.status_code)
    assert response.url in [f"{login}?next={quote(path)}" for login in logins]


def test_the_public_pages_open_without_a_login(client, db):
    for name in ["login", "password_reset", "health", "admin:login"]:
        path = dict(ALL_URLS)[name]
        assert client.get(path).status_code == 200, name


def test_htmx_request_without_a_session_redirects_the_whole_page(client, htmx_headers):
    headers = {**htmx_headers, "HX-Current-URL": "http://testserver/contacts/?q=ana"}

    response = client.get("/companies/", headers=headers)

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/contacts/%3Fq%3Dana"
    assert response.text == ""
