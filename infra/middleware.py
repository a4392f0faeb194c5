import logging
import re
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import QueryDict
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from infra.login_lock import client_address
from infra.logs import loggable_path, request_address, request_id

request_logger = logging.getLogger("crm.request")

# An incoming X-Request-ID (from a load balancer or proxy) is kept only if it looks like an id.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestIdMiddleware:
    """Give every request an id (the proxy's X-Request-ID, or a new one) that every log line made
    while serving it carries, and send it back in the response so a user can quote it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id.set(request.id)
        address_token = request_address.set(client_address(request))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            if settings.LOG_REQUESTS:
                user = getattr(request, "user", None)
                path = loggable_path(request)
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": path,
                        "status_code": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                        "user_id": user.pk if user and user.is_authenticated else None,
                    },
                )
            return response
        finally:
            request_id.reset(token)
            request_address.reset(address_token)


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header: the browser features the app never uses stay off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class MalformedHtmxUrlMiddleware:
    """An ``HX-Current-URL`` header that is no URL (``http://[::1``) is treated as absent.

    htmx sends the page's address there; everything that reads it (the login redirect of an
    expired session, a lead's page after a status change, the board) would otherwise fail on
    it with a traceback, for anyone who cares to send one."""

    HEADER = "HTTP_HX_CURRENT_URL"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.HEADER in request.META:
            try:
                urlsplit(request.META[self.HEADER])
            except ValueError:
                del request.META[self.HEADER]
                request.__dict__.pop("headers", None)  # read again from META when next asked
        return self.get_response(request)


class NulFreeInputMiddleware:
    """No NUL character reaches a view through the query string or a posted form.

    Nobody types one, and PostgreSQL refuses it in text: a search term or a note carrying
    one (``?q=%00``) failed with a server error wherever it reached a query. Stripped here once,
    for every view, the admin's included. Uploaded files and other bodies are left as sent
    (forms refuse NUL in their text fields)."""

    FORM = "application/x-www-form-urlencoded"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = _without_nul(request.GET)
        if request.content_type == self.FORM and b"%00" in request.body:
            request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _without_nul(query: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True)
    for key, values in query.lists():
        clean.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    clean._mutable = False
    return clean


class NoStoreMiddleware:
    """A signed-in user's pages are never stored by the browser (``Cache-Control: no-store``).

    Pages change in place (a lead started from its row, a card moved on the board); a stored
    copy would come back on Back as it was first served, showing buttons for actions already
    done. Not storing them also keeps customer data off shared computers' disks. Only HTML is
    concerned, and only when the view set no caching of its own: downloads (CSV) and static
    files keep their headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.user.is_authenticated
            and "Cache-Control" not in response.headers
            and response.get("Content-Type", "").startswith("text/html")
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response


class HtmxLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Login is required everywhere unless a view opts out with ``@login_not_required``.

    An HTMX request from an expired session must not get the login page swapped into a
    fragment: it is told to send the whole browser to the login page instead.
    """

    def handle_no_permission(self, request, view_func):
        if not request.htmx:
            return super().handle_no_permission(request, view_func)
        # Come back to the page the fragment was requested from, not to the fragment's URL.
        path = request.htmx.current_url_abs_path or "/"
        response = redirect_to_login(
            path, self.get_login_url(view_func), self.get_redirect_field_name(view_func)
        )
        return HttpResponseClientRedirect(response.url)


class UserLanguageMiddleware:
    """Use the language a signed-in user chose in their profile, else the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


SESSION_STARTED = "session_started"
SESSION_LAST_SEEN = "session_last_seen"
# Refresh the last-seen time at most this often, so that reading pages does not write the
# session on every request.
LAST_SEEN_RESOLUTION = 60


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """End a signed-in session after SESSION_IDLE_TIMEOUT seconds without a request (default two
    hours) and SESSION_ABSOLUTE_TIMEOUT seconds after logging in (default twelve hours).

    It logs the user out before any view runs; the login-required middleware then sends them to
    the login page (through HX-Redirect for an HTMX request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            last_seen = session.setdefault(SESSION_LAST_SEEN, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
            elif now - last_seen >= LAST_SEEN_RESOLUTION:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)
