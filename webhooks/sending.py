"""One signed POST of an event to an endpoint, with the standard library's HTTP client.

Redirects are not followed (``http.client`` never does), and the connection is dropped before
anything is sent if its peer is an address webhooks may not reach.
"""

import contextlib
import hashlib
import hmac
import http.client
import json
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.addresses import RefusedAddress, allowed_address, check_url


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-CRM-Signature`` header: HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def body_for(event) -> bytes:
    document = {
        "id": str(event.uuid),
        "event": event.name,
        "created_at": event.created_at.isoformat(),
        "record": {"type": event.record_type, "id": event.record_id},
        "data": event.payload,
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


@dataclass
class Outcome:
    status_code: int | None
    response_ms: int
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _guarded_connect(address, timeout=None, source_address=None, **kwargs):
    sock = socket.create_connection(address, timeout, source_address, **kwargs)
    peer = sock.getpeername()[0]
    if not allowed_address(peer):
        sock.close()
        raise RefusedAddress(f"{peer} is not a public address")
    return sock


class _Deadline:
    """Cuts the connection once WEBHOOKS_TIMEOUT has passed since the request began: the
    socket's own timeout is per read, and a receiver answering a byte at a time would hold the
    worker for ever (and, past the delivery's claim, have it sent twice)."""

    def __init__(self, connection):
        self.connection = connection
        self.passed = False
        self.timer = threading.Timer(settings.WEBHOOKS_TIMEOUT, self.cut)
        self.timer.daemon = True

    def cut(self) -> None:
        self.passed = True
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()


def post(*, url: str, secret: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST ``body`` to ``url``, signed now; what the receiver answered, or why it did not."""
    started = time.monotonic()
    deadline = None

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        check_url(url)
        parts = urlsplit(url)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.hostname, parts.port, timeout=settings.WEBHOOKS_TIMEOUT)
        # http.client opens its socket through this attribute, for HTTP and HTTPS alike:
        # the peer is checked before a byte (or a TLS hello) is sent.
        connection._create_connection = _guarded_connect
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        deadline = _Deadline(connection)
        try:
            with deadline:
                connection.request(
                    "POST",
                    path,
                    body=body,
                    headers={
                        **headers,
                        "Content-Type": "application/json",
                        "User-Agent": "CRM-Webhooks/1",
                        "X-CRM-Signature": signature(secret, int(time.time()), body),
                    },
                )
                response = connection.getresponse()
                response.read(64 * 1024)  # enough to free the connection; the body is not kept
                status = response.status
        finally:
            connection.close()
    except (OSError, http.client.HTTPException, RefusedAddress) as error:
        if isinstance(error, TimeoutError) or (deadline is not None and deadline.passed):
            return Outcome(None, elapsed(), f"No answer within {settings.WEBHOOKS_TIMEOUT} s")
        return Outcome(None, elapsed(), f"{type(error).__name__}: {error}"[:500])
    if not 200 <= status < 300:
        return Outcome(status, elapsed(), f"HTTP {status}")
    return Outcome(status, elapsed())
