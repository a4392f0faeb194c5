"""seed_demo ends by saying where to log in: the address ``./dev run`` really serves."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from home.management.commands.seed_demo import login_url

DEV = Path(__file__).resolve().parents[2] / "dev"


@pytest.mark.parametrize(
    ("address", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("8001", "http://127.0.0.1:8001"),
        ("0.0.0.0:9000", "http://0.0.0.0:9000"),
        ("", "http://127.0.0.1:8000"),
    ],
)
def test_login_url_is_the_address_runserver_serves(address, url):
    assert login_url(address) == url


def test_seed_demo_prints_the_address_it_is_given(db):
    out = io.StringIO()

    call_command("seed_demo", address="8123", stdout=out)

    assert "Demo data is ready. Log in at http://127.0.0.1:8123\n" in out.getvalue()


def test_dev_run_gives_seed_demo_and_runserver_the_same_address():
    script = DEV.read_text()
    # The one place PORT is read, with runserver's own default.
    assert script.count('address="${PORT:-127.0.0.1:8000}"') == 1
    assert 'manage.py seed_demo --address "$address"' in script
    assert 'manage.py runserver "$address"' in script
    assert subprocess.run(["bash", "-n", str(DEV)], check=False).returncode == 0
