"""The writes of quotas: one function per change, atomic. A quota is counted in the reports'
figures, so each change retires those that show it (``infra.report_cache``)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import Team, User
from forecasting.models import Quota, may_set_for, period_start
from infra.report_cache import figures_changed


class QuotaError(ValueError):
    """A quota that ``by`` may not set or remove; nothing was written."""


def _check_may_set(by: User, *, owner: User | None, team: Team | None) -> None:
    reps, teams = may_set_for(by)
    if owner is not None and not reps.filter(pk=owner.pk).exists():
        raise QuotaError(_("You cannot set a quota for %(name)s.") % {"name": owner})
    if team is not None and not teams.filter(pk=team.pk).exists():
        raise QuotaError(_("You cannot set a quota for the %(team)s team.") % {"team": team})


@transaction.atomic
def set_quota(
    *,
    by: User,
    period: str,
    start: datetime.date,
    amount: Decimal,
    owner: User | None = None,
    team: Team | None = None,
    deals: int | None = None,
    activities: int | None = None,
) -> Quota:
    """Set the quota of a rep (``owner``) or of a ``team`` for the month or quarter holding
    ``start``; one already set for them and that period is replaced. Managers set those of the
    teams they run and of their members, admins any."""
    if (owner is None) == (team is None):
        raise QuotaError(_("Choose a rep or a team."))
    _check_may_set(by, owner=owner, team=team)
    quota, _created = Quota.objects.select_for_update().update_or_create(
        owner=owner,
        team=team,
        period=period,
        start=period_start(period, start),
        defaults={"amount": amount, "deals": deals, "activities": activities, "set_by": by},
    )
    figures_changed(quota)
    return quota


@transaction.atomic
def remove_quota(quota: Quota, *, by: User) -> None:
    """Remove a quota: its rep or team has none for that period any more."""
    _check_may_set(by, owner=quota.owner, team=quota.team)
    figures_changed(quota)
    quota.delete()
