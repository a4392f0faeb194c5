"""What the security log hears of without being called: Django's login signals, the login
lock's, and rights given or taken outside the admin (which records its own saves whole).
Connected in ``CrmConfig.ready``."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from crm.models import User
from crm.security_log import Kind, record
from infra.login_lock import login_locked

# Set while the admin saves a user: its save is recorded as one event with every change.
_recorded_elsewhere: ContextVar[bool] = ContextVar("rights_recorded_elsewhere", default=False)


@contextmanager
def rights_recorded_elsewhere():
    token = _recorded_elsewhere.set(True)
    try:
        yield
    finally:
        _recorded_elsewhere.reset(token)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, request=request, actor=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    record(Kind.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in ``credentials`` by stars; only the name stays.
    username = str(credentials.get(User.USERNAME_FIELD) or "")
    record(Kind.LOGIN_FAILED, request=request, actor=None, username=username)


@receiver(login_locked)
def _locked(sender, username, address, attempts, **kwargs):
    record(
        Kind.LOCKOUT,
        username=username or "",
        whole_address=username is None,
        attempts=attempts,
    )


def _rights_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if _recorded_elsewhere.get() or action not in ("post_add", "post_remove", "post_clear"):
        return
    field = "groups" if sender is User.groups.through else "user_permissions"
    users = model.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
    for user in users:
        record(
            Kind.RIGHTS_CHANGED,
            target=user,
            field=field,
            action=action.removeprefix("post_"),
            ids=sorted(pk_set or ()) if not reverse else [instance.pk],
        )


m2m_changed.connect(_rights_changed, sender=User.groups.through)
m2m_changed.connect(_rights_changed, sender=User.user_permissions.through)
