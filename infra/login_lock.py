"""Stop password guessing: too many failed logins to one account from one address lock that pair,
and too many failed logins from one address, whatever the accounts, lock that address (password
spraying: one password tried on many accounts never locks any of them).

The count and the lock live in Django's cache, which is Redis when several app servers run, so
every server sees the same count. They are keyed on the account *and* the address: someone
guessing from elsewhere cannot lock a colleague out, and the lock lifts by itself after
LOGIN_LOCK_SECONDS (never "until an administrator resets it").

The check sits in the authentication backend, so every login form (ours and the admin's) is
covered; ``LoginForm`` only turns a lock into a clear message.
"""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

# Sent when failures lock an account from an address (``username``) or a whole address
# (``username`` None), with ``address`` and ``attempts``: the security log records it.
login_locked = Signal()


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind TRUSTED_PROXIES proxies (load balancers), it is
    the entry the outermost trusted proxy added to X-Forwarded-For; anything further left could
    have been written by the client itself."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(kind: str, username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.casefold()}\n{address}".encode()).hexdigest()
    return f"login-lock:{kind}:{digest}"


# The whole address's lock is kept under an account name no one can have.
ANY_ACCOUNT = "\x00any"


def _seconds_left(key: str) -> int:
    until = cache.get(key)
    return max(0, math.ceil(until - time.time())) if until else 0


def locked_for(username: str, address: str) -> int:
    """Seconds until the lock on this account and address lifts; 0 when it is not locked."""
    return _seconds_left(_key("lock", username, address))


def address_locked_for(address: str) -> int:
    """Seconds until the lock on every login from this address lifts; 0 when it is not locked."""
    return _seconds_left(_key("lock", ANY_ACCOUNT, address))


def _count_failure(username: str, address: str, attempts: int) -> bool:
    """Count one failure for the pair; True (and the pair locked) at the ``attempts``-th within
    LOGIN_LOCK_SECONDS."""
    seconds = settings.LOGIN_LOCK_SECONDS
    failures = _key("failures", username, address)
    cache.add(failures, 0, timeout=seconds)
    try:
        count = cache.incr(failures)
    except ValueError:  # the count expired between add() and incr()
        cache.set(failures, 1, timeout=seconds)
        count = 1
    if count < attempts:
        return False
    cache.set(_key("lock", username, address), time.time() + seconds, timeout=seconds)
    cache.delete(failures)
    return True


def record_failure(username: str, address: str) -> None:
    """Count one failed login for the account and for the address; LOGIN_LOCK_ATTEMPTS for the
    account or LOGIN_ADDRESS_ATTEMPTS for the address within LOGIN_LOCK_SECONDS lock it."""
    seconds = settings.LOGIN_LOCK_SECONDS
    if _count_failure(username, address, settings.LOGIN_LOCK_ATTEMPTS):
        logger.warning(
            "Login locked after %s failed attempts",
            settings.LOGIN_LOCK_ATTEMPTS,
            extra={"username": username, "address": address, "lock_seconds": seconds},
        )
        login_locked.send(
            sender=None, username=username, address=address, attempts=settings.LOGIN_LOCK_ATTEMPTS
        )
    if _count_failure(ANY_ACCOUNT, address, settings.LOGIN_ADDRESS_ATTEMPTS):
        logger.warning(
            "Logins from an address locked after %s failed attempts",
            settings.LOGIN_ADDRESS_ATTEMPTS,
            extra={"address": address, "lock_seconds": seconds},
        )
        login_locked.send(
            sender=None, username=None, address=address, attempts=settings.LOGIN_ADDRESS_ATTEMPTS
        )


def clear_failures(username: str, address: str) -> None:
    cache.delete(_key("failures", username, address))


class LockingModelBackend(ModelBackend):
    """Django's model backend, refusing a locked account and address pair and counting failures."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or not username:
            return super().authenticate(request, username, password, **kwargs)
        address = client_address(request)
        if locked_for(username, address) or address_locked_for(address):
            # PermissionDenied stops Django from trying any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            record_failure(username, address)
        else:
            clear_failures(username, address)
        return user


class LoginForm(AuthenticationForm):
    """The login form, saying plainly when the account is locked from this address."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            self._raise_if_locked(username)
        try:
            return super().clean()
        except ValidationError:
            if username:
                self._raise_if_locked(username)
            raise

    def _raise_if_locked(self, username: str) -> None:
        address = client_address(self.request)
        if seconds := address_locked_for(address):
            minutes = math.ceil(seconds / 60)
            raise ValidationError(
                ngettext(
                    "Too many failed attempts to log in from your address. "
                    "Try again in %(minutes)d minute.",
                    "Too many failed attempts to log in from your address. "
                    "Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="locked",
            )
        seconds = locked_for(username, address)
        if seconds:
            minutes = math.ceil(seconds / 60)
            raise ValidationError(
                ngettext(
                    "Too many failed attempts to log in to this account from your address. "
                    "Try again in %(minutes)d minute.",
                    "Too many failed attempts to log in to this account from your address. "
                    "Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="locked",
            )
