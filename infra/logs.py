"""Structured logs: one JSON object a line, each carrying the id of the request it belongs to.

``RequestIdMiddleware`` sets ``request_id`` for the duration of a request; ``RequestIdFilter``
copies it onto every record; ``JsonFormatter`` writes the record out. Errors logged by Django
carry the request: the formatter adds the method, path and user id from it, and nothing else
(never the body, the headers or the cookies, where passwords and session keys live).
"""

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str] = ContextVar("request_id", default="-")
# The address the request being served came from (``login_lock.client_address``), for what is
# recorded about it below the views (a service writing a security event); "" outside requests.
request_address: ContextVar[str] = ContextVar("request_address", default="")

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
# Extras whose names look like secrets are dropped whatever their value.
_SECRET = re.compile(r"pass|secret|token|session|cookie|auth|csrf|key", re.IGNORECASE)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # a broken user lookup must not break the logging of the error
        return None


def loggable_path(request) -> str:
    """The request's path with the secret a URL may carry (its ``token``: a calendar feed's, a
    password reset's) masked, so that logs never hold a working address."""
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("token") if match is not None else None
    if isinstance(token, str) and token:
        return request.path.replace(token, "[secret]")
    return request.path


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry.update(
                method=request.method, path=loggable_path(request), user_id=_user_id(request)
            )
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry or key == "request" or _SECRET.search(key):
                continue
            if isinstance(value, str | int | float | bool) or value is None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)
