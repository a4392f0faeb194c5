"""``Idempotency-Key`` on a POST: a retried create or conversion gets the first answer (status
and body) instead of doing it twice. Answers are kept API_IDEMPOTENCY_SECONDS in the cache
(Redis in production, so every app server sees them), per user and key; the same key with
another request is refused (422), and while the first is still running, a retry waits its turn
(409)."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("ETag", "Location")


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was used for another request.")


class StillRunning(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is still running; try again.")


class Replay(Exception):
    def __init__(self, response: Response):
        self.response = response


class Pending:
    """A POST under a key, running: its answer is kept once it is known."""

    def __init__(self, key: str, fingerprint: str):
        self.key, self.fingerprint = key, fingerprint

    def keep(self, response) -> None:
        if response.status_code >= 500 or isinstance(getattr(response, "data", None), bytes):
            cache.delete(self.key)  # a failure of ours: the retry runs again
            return
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        kept = {
            "fingerprint": self.fingerprint,
            "status": response.status_code,
            "data": getattr(response, "data", None),
            "headers": headers,
        }
        cache.set(self.key, kept, timeout=settings.API_IDEMPOTENCY_SECONDS)


def begin(request) -> Pending | None:
    """For a POST with a key: claim the key, or raise ``Replay`` with the first answer."""
    key = request.headers.get(HEADER, "")
    if request.method != "POST" or not key:
        return None
    digest = hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"api:idempotency:{request.user.pk}:{digest}"
    # Read before DRF parses it: the same method, path and body are the same request.
    body = request._request.body
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.get_full_path().encode(), body])
    ).hexdigest()
    running = {"fingerprint": fingerprint, "status": None}
    if cache.add(cache_key, running, timeout=settings.API_IDEMPOTENCY_SECONDS):
        return Pending(cache_key, fingerprint)
    kept = cache.get(cache_key)
    if kept is None:  # expired since: this is a first request again
        cache.set(cache_key, running, timeout=settings.API_IDEMPOTENCY_SECONDS)
        return Pending(cache_key, fingerprint)
    if kept["fingerprint"] != fingerprint:
        raise KeyReused()
    if kept["status"] is None:
        raise StillRunning()
    headers = {**kept["headers"], REPLAYED_HEADER: "true"}
    raise Replay(Response(kept["data"], status=kept["status"], headers=headers))
