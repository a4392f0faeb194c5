"""Who is changing records, and through which channel.

A request says it for everything saved while it is served (``AuditMiddleware``): its user, and
the page, the API or the admin by the URL it reached. Work done outside a request is the
system's, unless the service doing it says otherwise: an import acts as the user who started
it, through the import channel; a merge says so (``working_as``).
"""

import contextlib
import contextvars

from audit.models import Channel

_request = contextvars.ContextVar("audit_request", default=None)
_channel = contextvars.ContextVar("audit_channel", default=None)
_actor = contextvars.ContextVar("audit_actor", default=None)

# Namespaces of the URLs whose writes are not the pages'.
NAMESPACE_CHANNELS = {"admin": Channel.ADMIN, "api": Channel.API}


@contextlib.contextmanager
def working_as(*, channel: str | None = None, by=None):
    """Everything saved inside goes through ``channel`` and, given ``by``, is ``by``'s."""
    channel_token = _channel.set(channel) if channel else None
    actor_token = _actor.set(by) if by is not None else None
    try:
        yield
    finally:
        if channel_token is not None:
            _channel.reset(channel_token)
        if actor_token is not None:
            _actor.reset(actor_token)


def current_channel() -> str:
    if channel := _channel.get():
        return channel
    request = _request.get()
    if request is None:
        return Channel.SYSTEM
    match = getattr(request, "resolver_match", None)
    namespace = match.namespaces[0] if match and match.namespaces else ""
    return NAMESPACE_CHANNELS.get(namespace, Channel.PAGE)


def current_actor_id() -> int | None:
    if (actor := _actor.get()) is not None:
        return actor.pk
    request = _request.get()
    # Read when the change is saved: the API's token authentication sets the user on the
    # request only once its view runs.
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
