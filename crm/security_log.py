"""The security event log: logins and their failures, lockouts, password and rights changes, API
tokens, exports, imports, merges and every access refused to a record that exists.

``record`` writes one ``SecurityEvent`` row (one INSERT, nothing read) and the same event as a
log line (logger ``crm.security``, JSON in production). It is called where the thing happens:
the services (tokens, merges, imports), the views (exports, password changes), the auth signals
and the login lock's ``login_locked`` (connected in ``crm.apps``), ``visible_or_404`` (records)
and the 403 handler.

A burst of lockouts or denials (more than SECURITY_BURST_EVENTS within a window of
SECURITY_BURST_MINUTES) mails the admins once for that window, whichever server sees it:
the count and the "sent" mark live in the shared cache.
"""

import datetime
import ipaddress
import logging
import time
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import SecurityEvent, User
from infra.login_lock import client_address
from infra.logs import request_address, request_id

logger = logging.getLogger("crm.security")

Kind = SecurityEvent.Kind

# What counts towards a burst.
BURST_KINDS = {Kind.LOCKOUT, Kind.ACCESS_DENIED}


def _actor(request: HttpRequest | None, actor: User | None) -> User | None:
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _address(request: HttpRequest | None) -> str | None:
    """The client's address; None when there is none, or when what a proxy forwarded is no
    address at all (the column, an inet on PostgreSQL, would refuse it)."""
    address = client_address(request) if request is not None else request_address.get()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _request_id(request: HttpRequest | None) -> str:
    value = getattr(request, "id", None) or request_id.get()
    return "" if value == "-" else value[:128]  # "-": outside any request (a task, a shell)


def _target(target) -> dict:
    if target is None:
        return {}
    if isinstance(target, str):
        return {"target_text": target[:200]}
    return {
        # Content types are cached by Django after their first read: no query per event.
        "target_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
        "target_id": str(target.pk),
        "target_text": str(target)[:200],
    }


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    actor: User | None = None,
    target=None,
    username: str = "",
    **details,
) -> SecurityEvent:
    """Write one security event and its log line. ``target`` is a model instance (or a short
    text); ``details`` are JSON values (rows exported, what changed). The address comes from
    ``request``, or from the request being served when there is none (a service)."""
    actor = _actor(request, actor)
    event = SecurityEvent.objects.create(
        kind=kind,
        actor=actor,
        username=(username or (actor.get_username() if actor else ""))[:150],
        ip_address=_address(request),
        request_id=_request_id(request),
        details=details,
        **_target(target),
    )
    logger.info(
        "Security event: %s",
        kind,
        extra={
            "event": str(kind),
            "event_id": event.pk,
            "actor_id": actor.pk if actor else None,
            "username": event.username,
            "address": event.ip_address,
            "target_type": event.target_type.model if event.target_type else None,
            "target_id": event.target_id or None,
            "target": event.target_text or None,
            **{_log_name(name): value for name, value in details.items() if _plain(value)},
        },
    )
    if kind in BURST_KINDS:
        _count_towards_burst()
    return event


# Names a log record has of its own, which ``extra`` may not overwrite.
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _log_name(name: str) -> str:
    return f"detail_{name}" if name in _RESERVED else name


def _plain(value) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _burst_window() -> int:
    return int(time.time() // (settings.SECURITY_BURST_MINUTES * 60))


def _count_towards_burst() -> None:
    """Count one lockout or denial in the current window; the one that passes
    SECURITY_BURST_EVENTS has the admins told, once per window (``cache.add`` is atomic on
    Redis: of two servers passing it together, one sends)."""
    window = _burst_window()
    seconds = settings.SECURITY_BURST_MINUTES * 60
    key = f"security-burst:{window}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=seconds * 2)
        count = 1
    if count <= settings.SECURITY_BURST_EVENTS:
        return
    if not cache.add(f"security-burst-sent:{window}", True, timeout=seconds * 2):
        return
    started = datetime.datetime.fromtimestamp(window * seconds, datetime.UTC)
    record(
        Kind.BURST_ALERT,
        actor=None,
        events=count,
        minutes=settings.SECURITY_BURST_MINUTES,
        window_start=started.isoformat(),
    )
    transaction.on_commit(lambda: _mail_admins(count=count, started=started))


def _mail_admins(*, count: int, started: datetime.datetime) -> None:
    admins = (
        User.objects.active()
        .filter(Q(is_superuser=True) | Q(role=User.Role.ADMIN))
        .exclude(email="")
        .values_list("email", flat=True)
    )
    recipients = sorted(set(admins))
    if not recipients:
        return
    minutes = settings.SECURITY_BURST_MINUTES
    subject = _("Security alert: many lockouts or denied accesses")
    body = _(
        "More than %(limit)s logins were locked or accesses to records denied within "
        "%(minutes)s minutes (the window that started at %(started)s UTC). See the security "
        "events in the administration."
    ) % {
        "limit": settings.SECURITY_BURST_EVENTS,
        "minutes": minutes,
        "started": started.strftime("%Y-%m-%d %H:%M"),
    }
    send_mail(subject, body, None, recipients)


def visible_or_404(request: HttpRequest, records: models.QuerySet | models.Manager, **lookup):
    """The one row of ``records`` matching ``lookup`` that the user may see
    (``visible_to``), else a 404: how every record's page, form and action finds its record.

    When the row exists but is hidden from this user, the refusal is recorded. Only a 404
    pays for finding that out; an allowed request runs its one query as before."""
    records = records.all()
    try:
        return records.visible_to(request.user).get(**lookup)
    except ObjectDoesNotExist:
        record_if_hidden(request, records, **lookup)
        raise Http404(f"No {records.model._meta.object_name} matches the given query.") from None


def record_if_hidden(request: HttpRequest, records: models.QuerySet, **lookup) -> None:
    """After a 404: record the refused access if ``records`` (not narrowed to the user) holds
    the row that was asked for."""
    hidden = records.filter(**lookup).order_by().values_list("pk", flat=True).first()
    if hidden is not None:
        record(
            Kind.ACCESS_DENIED,
            request=request,
            target=records.model._base_manager.get(pk=hidden),
            path=request.path,
        )


def exported_rows(rows: Iterable, *, request: HttpRequest, what, **details) -> Iterator:
    """``rows`` handed on one by one, the export recorded once they are all read (a streamed
    download reads them while it is sent): who, what (a name, or the record exported from),
    with which filters and how many rows. A download broken off is recorded too, with the
    rows sent so far."""
    filters = request.GET.urlencode()[:1000]
    count = 0
    complete = False
    try:
        for row in rows:
            count += 1
            yield row
        complete = True
    finally:
        # A streamed download is read after the request's own code is done: its id again.
        token = request_id.set(getattr(request, "id", request_id.get()))
        try:
            record(
                Kind.EXPORT,
                request=request,
                target=what,
                rows=count,
                filters=filters,
                complete=complete,
                **details,
            )
        finally:
            request_id.reset(token)


def purge_old_events(*, now: datetime.datetime | None = None) -> int:
    """Delete the events older than SECURITY_LOG_DAYS; how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.SECURITY_LOG_DAYS)
    deleted, _by_model = SecurityEvent.objects.older_than(cutoff).delete()
    return deleted
