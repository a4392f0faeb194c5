"""Telling people: every notification is written here."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from crm.models import User
from notifications.models import Notification

# How long the bell's count is kept, in seconds. It is counted when the user logs in and
# again on the first page after any change to their notifications, so that pages cost no
# query for it.
UNREAD_SECONDS = 24 * 60 * 60


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def count_unread(user: User) -> int:
    """Count ``user``'s unread notifications (one COUNT) and keep the figure for the bell."""
    count = Notification.objects.filter(user=user).unread().count()
    cache.set(_unread_key(user.pk), count, UNREAD_SECONDS)
    return count


def unread_count(user: User) -> int:
    """The bell's figure: from the cache, counted again only once a notification changed."""
    count = cache.get(_unread_key(user.pk))
    return count_unread(user) if count is None else count


def _forget_counts(user_ids: set[int]) -> None:
    keys = [_unread_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    # Again once committed: a page counting in between would have kept the old figure.
    transaction.on_commit(lambda: cache.delete_many(keys))


def _url_of(target) -> str:
    get_url = getattr(target, "get_absolute_url", None)
    return get_url() if get_url else ""


def notify_all(
    kind: str, pairs: Iterable[tuple[User, object]], *, by: User | None = None, **params
) -> list[Notification]:
    """Tell each user of ``pairs`` about their record, in one INSERT. Whoever did it (``by``)
    is never told about their own action; inactive users are not told at all.

    ``params`` fill the text (see ``Notification.text``); ``name`` defaults to the record's
    and ``url`` to its page.
    """
    actor = (by.get_full_name() or by.get_username()) if by is not None else ""
    notifications = []
    for user, target in pairs:
        if user is None or not user.is_active or (by is not None and user.pk == by.pk):
            continue
        values = {"name": str(target), "actor": actor, **params}
        url = values.pop("url", None) or _url_of(target)
        notifications.append(
            Notification(
                user=user,
                kind=kind,
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                url=url,
                params=values,
            )
        )
    if not notifications:
        return []
    Notification.objects.bulk_create(notifications)
    _forget_counts({notification.user_id for notification in notifications})
    return notifications


def notify(
    user: User, kind: str, target, *, by: User | None = None, **params
) -> Notification | None:
    """Tell ``user`` about ``target``; None when there is no one to tell (the actor, say)."""
    made = notify_all(kind, [(user, target)], by=by, **params)
    return made[0] if made else None


def mark_read(notification: Notification) -> Notification:
    """Read once: the first time stays."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        _forget_counts({notification.user_id})
    return notification


def mark_all_read(*, user: User) -> int:
    """Every unread notification of ``user`` read now; how many."""
    count = Notification.objects.filter(user=user).unread().update(read_at=timezone.now())
    if count:
        _forget_counts({user.pk})
    return count
