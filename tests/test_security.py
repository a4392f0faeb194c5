"""Safe on the internet from day one: headers, no inline code, login locks and session endings."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from infra.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from tests.factories import make_user

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PASSWORD = "secret-pass-123"


# --- Headers -------------------------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy(db):
    response = Client().get("/accounts/login/")

    assert response["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_carry_the_privacy_and_framing_headers(db):
    response = Client().get("/accounts/login/", secure=True)

    assert response["Referrer-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_cookies_are_secure_and_http_only_in_production():
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


# --- Templates -----------------------------------------------------------------------------

# Patterns run over a whole template, so a tag spread over several lines is still caught.
INLINE_CODE = {
    "an inline <script> (use <script src> and a file in static/js)": re.compile(
        r"<script\b(?![^>]*\b(?:src\s*=|type\s*=\s*[\"']application/(?:ld\+)?json))[^>]*>",
        re.IGNORECASE,
    ),
    "a style= attribute (use a class and static/css)": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a <style> block (use static/css)": re.compile(r"<style\b", re.IGNORECASE),
    "an hx-on attribute (use static/js)": re.compile(r"\b(?:data-)?hx-on", re.IGNORECASE),
    "an on* event attribute (use static/js)": re.compile(
        r"<[a-z][^>]*?\son[a-z]+\s*=", re.IGNORECASE
    ),
    "a javascript: URL (use static/js)": re.compile(r"javascript:", re.IGNORECASE),
}


def inline_code_in(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    for what, pattern in INLINE_CODE.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.end()) + 1
            found.append((line, f"{path.relative_to(TEMPLATES)}:{line}: {what}"))
    return [finding for _, finding in sorted(found)]


def test_the_template_scan_catches_inline_code(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.TEMPLATES", tmp_path)
    page = tmp_path / "page.html"
    page.write_text(
        '<script>alert(1)</script>\n<p style="color: red">\n<style>p {}</style>\n'
        '<button hx-on:click="go()">\n<a class="x"\n   onclick="go()">\n'
        '<a href="javascript:go()">\n'
        '<script src="/static/js/ok.js" defer></script>\n'
        '<script id="data" type="application/json">{}</script>\n'
        '<p class="online" data-one="1">\n'
    )

    assert [finding.split(":")[1] for finding in inline_code_in(page)] == [
        "1",
        "2",
        "3",
        "4",
        "6",
        "7",
    ]


def test_no_template_contains_inline_script_or_style():
    templates = sorted(TEMPLATES.rglob("*.html"))

    findings = [finding for path in templates for finding in inline_code_in(path)]

    assert templates
    assert findings == []


# --- Login lock ----------------------------------------------------------------------------


@pytest.fixture
def lock_after_three(settings):
    settings.LOGIN_LOCK_ATTEMPTS = 3
    settings.LOGIN_LOCK_SECONDS = 600


def log_in(client: Client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_failed_logins_lock_the_account_from_that_address(db, lock_after_three):
    user = make_user(username="alice")
    client = Client()

    for _ in range(2):
        response = log_in(client, "alice", "wrong")
        assert "Please enter a correct username and password" in response.content.decode()
    response = log_in(client, "alice", "wrong")
    locked = log_in(client, "alice", PASSWORD)

    message = (
        "Too many failed attempts to log in to this account from your address. "
        "Try again in 10 minutes."
    )
    assert message in response.content.decode()
    assert message in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert user.last_login is None


def test_a_lock_does_not_reach_other_addresses_or_accounts(db, lock_after_three):
    make_user(username="alice")
    make_user(username="bob")
    for _ in range(3):
        log_in(Client(), "alice", "wrong", address="203.0.113.7")

    from_elsewhere = log_in(Client(), "alice", PASSWORD, address="198.51.100.2")
    colleague = log_in(Client(), "bob", PASSWORD, address="203.0.113.7")

    assert (from_elsewhere.status_code, from_elsewhere["Location"]) == (302, "/")
    assert (colleague.status_code, colleague["Location"]) == (302, "/")


def test_one_password_tried_on_many_accounts_locks_the_address(db, lock_after_three, settings):
    settings.LOGIN_ADDRESS_ATTEMPTS = 10
    make_user(username="zoe")
    for number in range(10):  # ten accounts, one attempt each: none of them is locked
        log_in(Client(), f"user{number}", "Summer2026!")

    sprayer = log_in(Client(), "zoe", PASSWORD)
    elsewhere = log_in(Client(), "zoe", PASSWORD, address="198.51.100.2")

    assert sprayer.status_code == 200
    assert (
        "Too many failed attempts to log in from your address. Try again in 10 minutes."
        in sprayer.content.decode()
    )
    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "/")


def test_failures_from_an_address_below_its_limit_lock_nothing_there(db, lock_after_three):
    make_user(username="zoe")
    for number in range(5):
        log_in(Client(), f"user{number}", "wrong")

    assert log_in(Client(), "zoe", PASSWORD)["Location"] == "/"


def test_a_lock_lifts_by_itself(db, lock_after_three, monkeypatch):
    make_user(username="alice")
    for _ in range(3):
        log_in(Client(), "alice", "wrong")

    later = time.time() + 601
    monkeypatch.setattr("infra.login_lock.time.time", lambda: later)
    response = log_in(Client(), "alice", PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_successful_login_forgets_earlier_failures(db, lock_after_three):
    make_user(username="alice")
    log_in(Client(), "alice", "wrong")
    log_in(Client(), "alice", "wrong")
    log_in(Client(), "alice", PASSWORD)

    log_in(Client(), "alice", "wrong")
    log_in(Client(), "alice", "wrong")
    response = log_in(Client(), "alice", PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_admin_login_honours_the_lock(db, lock_after_three):
    make_user(username="ada", is_staff=True, is_superuser=True)
    for _ in range(3):
        log_in(Client(), "ada", "wrong")

    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": "ada", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_behind_a_trusted_proxy_the_forwarded_address_counts(db, lock_after_three, settings):
    settings.TRUSTED_PROXIES = 1
    make_user(username="alice")
    for _ in range(3):
        Client().post(
            "/accounts/login/",
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            headers={"x-forwarded-for": "spoofed, 203.0.113.7"},
        )

    other_client = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        headers={"x-forwarded-for": "198.51.100.2"},
    )
    locked_client = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        headers={"x-forwarded-for": "203.0.113.7"},
    )

    assert other_client.status_code == 302
    assert "Too many failed attempts" in locked_client.content.decode()


# --- Sessions ------------------------------------------------------------------------------


def logged_in_client(user) -> Client:
    client = Client()
    response = log_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    return client


def test_logging_in_gives_a_new_session_key(db):
    make_user(username="alice")
    client = Client()
    client.get("/accounts/login/")
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key

    log_in(client, "alice", PASSWORD)

    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logging_out_ends_the_session(db):
    user = make_user(username="alice")
    client = logged_in_client(user)
    key = client.session.session_key

    client.post("/accounts/logout/")

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def test_changing_the_password_ends_other_sessions_but_not_this_one(db):
    user = make_user(username="alice")
    laptop = logged_in_client(user)
    phone = logged_in_client(user)

    response = laptop.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-pass-456",
            "new_password2": "a-brand-new-pass-456",
        },
    )

    assert response["Location"] == "/accounts/password_change/done/"
    assert laptop.get("/").status_code == 200
    assert phone.get("/")["Location"] == "/accounts/login/?next=/"


def test_deactivating_a_user_ends_their_sessions(db):
    user = make_user(username="alice")
    client = logged_in_client(user)

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def age_session(client: Client, *, idle: int = 0, since_login: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[SESSION_LAST_SEEN] = now - idle
    session[SESSION_STARTED] = now - since_login
    session.save()


def test_a_session_idle_for_too_long_ends(db, settings):
    user = make_user(username="alice")
    client = logged_in_client(user)
    age_session(client, idle=settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get("/", follow=True)

    assert response.redirect_chain == [("/accounts/login/?next=/", 302)]
    assert "Your session has expired. Please log in again." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_active_session_ends_at_the_absolute_limit(db, settings):
    user = make_user(username="alice")
    client = logged_in_client(user)
    age_session(client, idle=10, since_login=settings.SESSION_ABSOLUTE_TIMEOUT + 1)

    response = client.get("/")

    assert response["Location"] == "/accounts/login/?next=/"


def test_a_session_in_use_stays_and_is_seen(db, settings):
    user = make_user(username="alice", first_name="Alice")
    client = logged_in_client(user)
    age_session(client, idle=settings.SESSION_IDLE_TIMEOUT - 60, since_login=3600)

    response = client.get("/")

    assert "Good day, Alice" in response.content.decode()
    assert int(time.time()) - client.session[SESSION_LAST_SEEN] < 5


def test_an_expired_htmx_request_is_sent_to_the_login_page(db, settings, htmx_headers):
    user = make_user(username="alice")
    client = logged_in_client(user)
    age_session(client, idle=settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get("/", headers=htmx_headers)

    assert response["HX-Redirect"] == "/accounts/login/?next=/"


def test_session_timeouts_have_the_documented_defaults():
    assert (settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT) == (7200, 43200)


def test_a_signed_in_users_pages_are_not_stored_by_the_browser(rep_client):
    page = rep_client.get("/leads/")
    download = rep_client.get("/opportunities/export/")

    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    # A download sets its own: it is kept in no cache either.
    assert download["Cache-Control"] == "private, no-store"


# --- Password hashing -----------------------------------------------------------------------


def test_production_hashes_with_argon2_and_upgrades_older_hashes_at_login(db, settings):
    from django.contrib.auth.hashers import make_password

    from crm import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = make_user(username="olga")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = log_in(Client(), "olga", PASSWORD)

    user.refresh_from_db()
    assert response["Location"] == "/"
    assert user.password.startswith("argon2$argon2id$")
    assert make_password("new one").startswith("argon2$")
