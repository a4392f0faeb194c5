"""Several app servers sharing one PostgreSQL and one Redis, as in production.

``app_servers`` starts, once per test run, two gunicorn servers on free ports of 127.0.0.1 and the
task worker (``manage.py db_worker``), all with production settings against the test database
and a Redis database of their own (INTEGRATION_REDIS_URL, flushed before and after). A
``Visitor`` is one browser behind a load balancer: its cookies go with it to whichever server
it talks to. Tests that use them need ``transactional_db`` so that the servers see their data.
A new story (another module here, or another test) only needs those two fixtures; settings the
servers should run with for it go into ``SERVER_SETTINGS``.

These tests need PostgreSQL and Redis: they are skipped on SQLite unless REQUIRE_INTEGRATION is
set (as CI does for its PostgreSQL run), in which case a missing service is an error.
"""

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

REDIS_URL = os.environ.get("INTEGRATION_REDIS_URL", "redis://127.0.0.1:6379/9")
REQUIRED = bool(os.environ.get("REQUIRE_INTEGRATION"))
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
BASE_DIR = Path(settings.BASE_DIR)
STARTUP_SECONDS = 60

# What the servers run with beyond production's defaults; tests may rely on these values.
LOGIN_LOCK_ATTEMPTS = 3
WEB_LEADS_RATE_LIMIT = 3
SECURITY_BURST_EVENTS = 4

SERVER_SETTINGS = {
    # Plain HTTP on the loopback stands in for the load balancer's HTTPS.
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    # The visitors' X-Forwarded-For stands in for the load balancer's.
    "TRUSTED_PROXIES": "1",
    "LOGIN_LOCK_ATTEMPTS": str(LOGIN_LOCK_ATTEMPTS),
    "LOGIN_LOCK_SECONDS": "600",
    "EMAIL_URL": "console://",
    # The public lead form: no wait before sending, and a small limit to reach in a test.
    "WEB_LEADS_MIN_FILL_SECONDS": "0",
    "WEB_LEADS_RATE_LIMIT": str(WEB_LEADS_RATE_LIMIT),
    "LOG_LEVEL": "WARNING",
    # The security log's burst alert: reached in a test, in one window whatever the hour.
    "SECURITY_BURST_EVENTS": str(SECURITY_BURST_EVENTS),
    "SECURITY_BURST_MINUTES": str(24 * 60),
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/integration/" in str(item.fspath).replace(os.sep, "/"):
            # One set of servers for them all: keep them on one xdist process.
            item.add_marker(pytest.mark.xdist_group("integration"))
            if not ON_POSTGRES and not REQUIRED:
                item.add_marker(pytest.mark.skip(reason="needs PostgreSQL and Redis"))


@dataclass(frozen=True)
class AppServers:
    a: str
    b: str
    worker_pid: int
    # Where each process writes its output (a.log, b.log, worker.log): mail sent with
    # EMAIL_URL=console:// lands there.
    logs: Path


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    text: str

    def json(self):
        return json.loads(self.text)


class Visitor:
    """One browser behind a load balancer that forwards ``address`` as the client's."""

    def __init__(self, address: str = "203.0.113.7"):
        self.address = address
        self.cookies: dict[str, str] = {}

    def get(self, server: str, path: str) -> Response:
        return self.request(server, "GET", path)

    def post(self, server: str, path: str, form: dict | None = None) -> Response:
        return self.request(server, "POST", path, form or {})

    def log_in(self, server: str, username: str, password: str) -> Response:
        self.get(server, "/accounts/login/")
        return self.post(server, "/accounts/login/", {"username": username, "password": password})

    def request(self, server: str, method: str, path: str, form: dict | None = None) -> Response:
        url = urlsplit(server)
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            conn.request(method, path, body, headers)
            raw = conn.getresponse()
            text = raw.read().decode()
        finally:
            conn.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Response(raw.status, dict(raw.headers.items()), text)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    # No persistent connections: the test database can be flushed and dropped after the tests.
    return f"postgres://{credentials}@{host}/{quote(db['NAME'])}?conn_max_age=0"


def _wait_until_healthy(server: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{server} exited with {process.returncode}:\n{log.read_text()}")
        try:
            if Visitor().get(server, "/health/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{server} did not become healthy:\n{log.read_text()}")


@pytest.fixture(scope="session")
def app_servers(django_db_setup, django_db_blocker, tmp_path_factory):
    if not ON_POSTGRES:
        pytest.fail("REQUIRE_INTEGRATION is set but DATABASE_URL is not PostgreSQL")
    store = redis.Redis.from_url(REDIS_URL)
    try:
        store.ping()
    except redis.ConnectionError as error:
        if REQUIRED:
            pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
        pytest.skip(f"Redis at {REDIS_URL} does not answer")
    store.flushdb()

    folder = tmp_path_factory.mktemp("servers")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(folder / "static"),
        **SERVER_SETTINGS,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )

    processes: list[tuple[subprocess.Popen, Path]] = []

    def start(name: str, command: list[str]) -> subprocess.Popen:
        log = folder / f"{name}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        processes.append((process, log))
        return process

    servers = []
    try:
        for name in ("a", "b"):
            port = _free_port()
            server = f"http://127.0.0.1:{port}"
            process = start(
                name,
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
                + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
            )
            servers.append((server, process, folder / f"{name}.log"))
        worker = start(
            "worker",
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
            + ["--interval", "0.2", "--queue-name", "*", "--worker-id", "integration"],
        )
        for server, process, log in servers:
            _wait_until_healthy(server, process, log)
        yield AppServers(a=servers[0][0], b=servers[1][0], worker_pid=worker.pid, logs=folder)
    finally:
        for process, _ in processes:
            process.terminate()
        for process, _ in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        store.flushdb()


@pytest.fixture
def production_hashing(settings):
    """The servers check passwords with production's hashers, not the tests' fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
