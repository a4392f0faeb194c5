"""Settings come from the environment through small readers that refuse values they cannot read."""

import functools
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from infra import env

BASE_DIR = Path("/srv/crm")


def test_env_str_reads_the_value(monkeypatch):
    monkeypatch.setenv("CRM_TEST_VALUE", "hello")

    assert env.env_str("CRM_TEST_VALUE", "default") == "hello"


def test_env_str_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("CRM_TEST_VALUE", raising=False)

    assert env.env_str("CRM_TEST_VALUE", "default") == "default"


def test_env_str_without_a_default_demands_the_variable(monkeypatch):
    monkeypatch.delenv("CRM_TEST_VALUE", raising=False)

    with pytest.raises(ImproperlyConfigured, match="Set the CRM_TEST_VALUE"):
        env.env_str("CRM_TEST_VALUE")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True), ("0", False), ("FALSE", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("CRM_TEST_FLAG", raw)

    assert env.env_bool("CRM_TEST_FLAG", not expected) is expected


def test_env_bool_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("CRM_TEST_FLAG", raising=False)

    assert env.env_bool("CRM_TEST_FLAG", True) is True


@pytest.mark.parametrize("raw", ["maybe", "ture", "2"])
def test_env_bool_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("CRM_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="CRM_TEST_FLAG must be true or false"):
        env.env_bool("CRM_TEST_FLAG", False)


def test_env_int_reads_a_number(monkeypatch):
    monkeypatch.setenv("CRM_TEST_NUMBER", "7200")

    assert env.env_int("CRM_TEST_NUMBER", 5) == 7200


@pytest.mark.parametrize("raw", ["2h", "", "1.5"])
def test_env_int_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("CRM_TEST_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured, match="CRM_TEST_NUMBER must be a whole number"):
        env.env_int("CRM_TEST_NUMBER", 5)


def test_env_choice_reads_an_allowed_value(monkeypatch):
    monkeypatch.setenv("CRM_TEST_CHOICE", "text")

    assert env.env_choice("CRM_TEST_CHOICE", "json", {"json", "text"}) == "text"


def test_env_choice_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("CRM_TEST_CHOICE", raising=False)

    assert env.env_choice("CRM_TEST_CHOICE", "json", {"json", "text"}) == "json"


def test_env_choice_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("CRM_TEST_CHOICE", "xml")

    with pytest.raises(ImproperlyConfigured, match="CRM_TEST_CHOICE must be one of json, text"):
        env.env_choice("CRM_TEST_CHOICE", "json", {"json", "text"})


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("CRM_TEST_LIST", " crm.example.com, ,www.example.com,")

    assert env.env_list("CRM_TEST_LIST", []) == ["crm.example.com", "www.example.com"]


def test_env_list_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("CRM_TEST_LIST", raising=False)

    assert env.env_list("CRM_TEST_LIST", ["localhost"]) == ["localhost"]


def test_sqlite_url_gives_a_file_database():
    assert env.database_from_url("sqlite:////var/lib/crm/db.sqlite3", base_dir=BASE_DIR) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/var/lib/crm/db.sqlite3",
    }


def test_sqlite_url_without_a_path_uses_the_project_folder():
    assert env.database_from_url("sqlite://", base_dir=BASE_DIR) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/srv/crm/db.sqlite3",
    }


def test_postgres_url_gives_every_connection_detail():
    url = "postgres://crm:s%40cret@db.internal:6432/crm?sslmode=require&conn_max_age=0"

    assert env.database_from_url(url, base_dir=BASE_DIR) == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "crm",
        "USER": "crm",
        "PASSWORD": "s@cret",
        "HOST": "db.internal",
        "PORT": "6432",
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"sslmode": "require"},
    }


def test_postgresql_scheme_with_defaults_keeps_connections_for_a_minute():
    database = env.database_from_url("postgresql://127.0.0.1/crm", base_dir=BASE_DIR)

    assert (database["NAME"], database["USER"], database["PORT"], database["CONN_MAX_AGE"]) == (
        "crm",
        "",
        "",
        60,
    )


def test_console_email_url_prints_mail():
    assert env.mailer_from_url("console://") == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_smtp_email_url_gives_the_server_and_credentials():
    assert env.mailer_from_url("smtp://mailer:p%2Fss@smtp.example.com:587?tls=true") == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.com",
            "port": 587,
            "username": "mailer",
            "password": "p/ss",
            "use_tls": True,
            "use_ssl": False,
        },
    }


def test_smtps_email_url_uses_ssl():
    assert env.mailer_from_url("smtps://smtp.example.com")["OPTIONS"] == {
        "host": "smtp.example.com",
        "use_tls": False,
        "use_ssl": True,
    }


READERS = {
    "database": functools.partial(env.database_from_url, base_dir=BASE_DIR),
    "email": env.mailer_from_url,
}


@pytest.mark.parametrize(
    ("setting", "url", "message"),
    [
        ("database", "postgres://127.0.0.1:5432/", "must name a database"),
        ("database", "postgres://127.0.0.1:port/crm", "bad port"),
        (
            "database",
            "postgres://127.0.0.1/crm?conn_max_age=forever",
            "conn_max_age must be a number",
        ),
        ("database", "mysql://127.0.0.1/crm", "unknown scheme: 'mysql'"),
        ("database", "127.0.0.1/crm", "unknown scheme: ''"),
        ("email", "smtp://", "must name a mail server"),
        ("email", "smtp://smtp.example.com?tls=perhaps", "bad option"),
        ("email", "smtp://smtp.example.com?starttls=1", "bad option"),
        ("email", "smtp://smtp.example.com:twentyfive", "bad port"),
        ("email", "sendmail://localhost", "unknown scheme"),
    ],
)
def test_url_mistakes_stop_the_start(setting, url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        READERS[setting](url)
