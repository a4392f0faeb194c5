"""The backup in docs/deploy.md, exercised: dump a loaded database with ``pg_dump``, restore it
into a new one with ``pg_restore``, and the app starts on the copy with every row there."""

import io
import json
import os
import secrets
import subprocess
import sys
import time

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from crm.demo import DEMO_PASSWORD
from tests.integration.conftest import (
    BASE_DIR,
    SERVER_SETTINGS,
    STARTUP_SECONDS,
    Visitor,
    _database_url,
    _free_port,
)

# Counts every table of the project's own apps and of the framework's it leans on.
COUNT_ROWS = """
import json
from django.apps import apps
print(json.dumps({m._meta.label: m._base_manager.count() for m in apps.get_models()}))
"""


def counts_in(database_url: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", COUNT_ROWS],
        cwd=BASE_DIR,
        env=_environment(database_url),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _environment(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        **SERVER_SETTINGS,
        **extra,
    }


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)


@pytest.fixture
def restored(reference_data, production_hashing, tmp_path):
    """The test database, loaded with the demo data, dumped and restored into a new database."""
    call_command("seed_demo", address="8000", stdout=io.StringIO())
    source = _database_url()
    copy_name = f"{connection.settings_dict['NAME']}_restored"
    copy = source.replace(f"/{connection.settings_dict['NAME']}?", f"/{copy_name}?")
    admin = source.rsplit("/", 1)[0] + "/postgres"
    dump = tmp_path / "crm.dump"
    _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source.split("?")[0])
    _run("psql", admin, "-c", f'DROP DATABASE IF EXISTS "{copy_name}"')
    _run("psql", admin, "-c", f'CREATE DATABASE "{copy_name}"')
    try:
        _run("pg_restore", "--no-owner", f"--dbname={copy.split('?')[0]}", str(dump))
        yield source, copy
    finally:
        _run("psql", admin, "-c", f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)')


def test_a_restored_backup_holds_every_row_and_serves_the_app(restored, tmp_path):
    source, copy = restored
    here = {m._meta.label: m._base_manager.count() for m in apps.get_models()}

    there = counts_in(copy)
    migrations = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=BASE_DIR,
        env=_environment(copy),
        capture_output=True,
        text=True,
    )
    served = _environment(copy, STATIC_ROOT=str(tmp_path / "static"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=served,
        check=True,
    )
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=BASE_DIR,
            env=served,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        health = _health(f"http://127.0.0.1:{port}", server, log)
        visitor = Visitor()
        login = visitor.log_in(f"http://127.0.0.1:{port}", "alice", DEMO_PASSWORD)
        board = visitor.get(f"http://127.0.0.1:{port}", "/opportunities/board/")
    finally:
        server.terminate()
        server.wait(timeout=15)

    assert here["opportunities.Opportunity"] > 0 and here["leads.Lead"] > 0
    assert there == here
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr
    assert health == 200
    assert (login.status, login.headers.get("Location")) == (302, "/")
    assert board.status == 200
    assert "data-stage" in board.text


def _health(server: str, process: subprocess.Popen, log) -> int:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            return Visitor().get(server, "/health/").status
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not start:\n{log.read_text()}")
