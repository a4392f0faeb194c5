"""Creating, using and revoking personal API tokens."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import TOKEN_START, ApiToken, hash_token
from crm.models import User
from crm.security_log import Kind, record

# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once


def create_token(
    *, user: User, name: str, scope: str, expires_at: datetime.datetime | None = None
) -> NewToken:
    for _attempt in range(5):
        prefix = secrets.token_hex(6)
        secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    hashed=hash_token(secret),
                    scope=scope,
                    expires_at=expires_at,
                )
        except IntegrityError:  # the same prefix drawn twice: draw again
            continue
        record(Kind.TOKEN_CREATED, actor=user, target=token, scope=scope, prefix=prefix)
        return NewToken(token=token, secret=secret)
    raise RuntimeError("No free token prefix found.")


def find_token(secret: str) -> ApiToken | None:
    """The usable token ``secret`` is, with its user; None for anything else."""
    if not secret.startswith(TOKEN_START):
        return None
    prefix = secret[len(TOKEN_START) :].partition("_")[0]
    token = ApiToken.objects.usable().select_related("user").filter(prefix=prefix).first()
    if token is None or not token.matches(secret):
        return None
    return token


def note_use(token: ApiToken) -> None:
    """Keep when the token was last used, to the minute. Its first use of each day (in
    TIME_ZONE) is a security event; the uses after it that day are not, so the log says on
    which days a token was used without a row per request."""
    now = timezone.now()
    previous = token.last_used_at
    if previous is None or now - previous >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        if previous is None or timezone.localdate(previous) != timezone.localdate(now):
            record(Kind.TOKEN_USED, actor=token.user, target=token, prefix=token.prefix)


def revoke_token(token: ApiToken, *, by: User | None = None) -> ApiToken:
    """Revoke the token; ``by`` is who did (an admin), its owner when not given."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(Kind.TOKEN_REVOKED, actor=by or token.user, target=token, prefix=token.prefix)
    return token
