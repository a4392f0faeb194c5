"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

The browser is the system one (``which chromium``); a test tool's own browser download is not
used. Without Chromium these tests are skipped, unless REQUIRE_BROWSER is set (as CI does), in
which case its absence is an error.
"""

import os
import shutil

import pytest

from crm.models import User
from opportunities.models import Pipeline
from tests.factories import make_pipeline

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (arranging data, asserting state) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None and not os.environ.get("REQUIRE_BROWSER"):
                item.add_marker(pytest.mark.skip(reason="chromium is not installed"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        pytest.fail("REQUIRE_BROWSER is set but chromium is not installed")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def login(page, live_server):
    """Log a user in through the real login form; returns a function taking the user, and
    the page of another browser (``on``) when it is not the test's own page that logs in."""

    def _login(user: User, password: str = "secret-pass-123", *, on=None):
        browser_page = on or page
        browser_page.goto(f"{live_server.url}/accounts/login/")
        browser_page.get_by_label("Username").fill(user.username)
        browser_page.get_by_label("Password").fill(password)
        browser_page.get_by_role("button", name="Log in").click()
        browser_page.wait_for_url(f"{live_server.url}/")
        return browser_page

    return _login


@pytest.fixture
def stages(transactional_db):
    """The stages of "Sales", made the default pipeline: the board a test opens shows them."""
    Pipeline.objects.update(is_default=False)
    pipeline = make_pipeline(name="Sales", is_default=True)
    return list(pipeline.stages.order_by("order"))
