"""Small readers for settings taken from the environment.

Each one fails loudly (ImproperlyConfigured) on a value it cannot read, so a typo in a deployment
stops the app at start-up instead of silently falling back to a default.
"""

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE:
        return True
    if value.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of {allowed}, not {value!r}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _port(parsed, name: str) -> int | None:
    try:
        return parsed.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a bad port number.") from None


def database_from_url(url: str, *, base_dir) -> dict:
    """Turn ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` into a DATABASES entry."""
    parsed = urlparse(url)
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path.removeprefix("/")) or str(base_dir / "db.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL must name a database.")
        try:
            conn_max_age = int(options.pop("conn_max_age", 60))
        except ValueError:
            raise ImproperlyConfigured("DATABASE_URL's conn_max_age must be a number.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.strip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(_port(parsed, "DATABASE_URL") or ""),
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL has an unknown scheme: {parsed.scheme!r}.")


def mailer_from_url(url: str) -> dict:
    """Turn ``smtp://user:pass@host:587?tls=true``, ``smtps://...`` or ``console://`` into a
    MAILERS entry. SMTP needs a host; ``tls`` and ``ssl`` take true or false."""
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {parsed.scheme!r}.")
    if not parsed.hostname:
        raise ImproperlyConfigured("EMAIL_URL must name a mail server.")
    flags = {key: values[-1].strip().lower() for key, values in parse_qs(parsed.query).items()}
    for key, value in flags.items():
        if key not in {"tls", "ssl"} or value not in TRUE | FALSE:
            raise ImproperlyConfigured(f"EMAIL_URL has a bad option: {key}={value!r}.")
    options = {
        "host": parsed.hostname,
        "use_tls": flags.get("tls", "false") in TRUE,
        "use_ssl": parsed.scheme == "smtps" or flags.get("ssl", "false") in TRUE,
    }
    if port := _port(parsed, "EMAIL_URL"):
        options["port"] = port
    if parsed.username:
        options["username"] = unquote(parsed.username)
        options["password"] = unquote(parsed.password or "")
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
