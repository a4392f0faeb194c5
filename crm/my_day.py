"""A rep's day (their home page and daily digest), and a manager's: the same, by rep.

Built in a constant number of queries: pending activities due up to a week ahead, open deals
that need attention, and new leads nobody has touched (and, for a manager, the team's reps).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from crm.models import Activity, User
from crm.models.activities import with_activity_badges
from leads.models import Lead
from opportunities.models import Opportunity

UPCOMING_DAYS = 7


@dataclass
class RepDay:
    """One person's list; ``rep`` is None for unassigned records of the team."""

    rep: User | None
    overdue: list[Activity] = field(default_factory=list)
    today: list[Activity] = field(default_factory=list)
    upcoming: list[Activity] = field(default_factory=list)
    no_next_step: list[Opportunity] = field(default_factory=list)
    stale: list[Opportunity] = field(default_factory=list)
    new_leads: list[Lead] = field(default_factory=list)

    @property
    def due_count(self) -> int:
        """Activities to do today, overdue ones included."""
        return len(self.overdue) + len(self.today)

    @property
    def is_empty(self) -> bool:
        return not any(
            [
                self.overdue,
                self.today,
                self.upcoming,
                self.no_next_step,
                self.stale,
                self.new_leads,
            ]
        )


@dataclass
class Day:
    user: User
    date: datetime.date
    groups: list[RepDay]
    by_rep: bool  # a manager's (or admin's) view, one group per rep

    @property
    def is_empty(self) -> bool:
        return all(group.is_empty for group in self.groups)


def _activities_of(user: User):
    """Whose activities appear: a rep's own; a manager's, their teams' and their own."""
    activities = Activity.objects.all()
    if user.is_admin:
        return activities
    if user.is_manager:
        return activities.filter(Q(owner=user) | Q(owner__team__in=user.managed_teams.values("pk")))
    return activities.filter(owner=user)


def build_day(user: User, *, today: datetime.date | None = None) -> Day:
    today = today or timezone.localdate()
    by_rep = user.is_manager or user.is_admin

    activities = (
        _activities_of(user)
        .pending()
        .filter(due_date__lte=today + datetime.timedelta(days=UPCOMING_DAYS))
        .with_subjects()
        .order_by("due_date", "due_time", "pk")
    )
    deals = (
        with_activity_badges(Opportunity.objects.visible_to(user).open(), today=today)
        .filter(Q(needs_next_step=True) | Q(is_stale=True))
        .select_related("owner", "stage", "company")
        .order_by("expected_close_date", "pk")
    )
    untouched = ~Exists(Activity.objects.filter(lead=OuterRef("pk")))
    leads = (
        Lead.objects.visible_to(user)
        .filter(untouched, status=Lead.Status.NEW)
        .select_related("owner", "source")
        .order_by("created_at", "pk")
    )

    groups: dict[int | None, RepDay] = {}
    if by_rep:
        reps = User.objects.active().order_by("first_name", "last_name", "username")
        if not user.is_admin:
            reps = reps.filter(Q(team__in=user.managed_teams.values("pk")) | Q(pk=user.pk))
        for rep in reps:
            groups[rep.pk] = RepDay(rep=rep)
    else:
        groups[user.pk] = RepDay(rep=user)

    def group_of(owner_id: int | None) -> RepDay:
        if not by_rep:
            return groups[user.pk]
        # Unowned records (and those of people no longer active) are the team's to pick up.
        key = owner_id if owner_id in groups else None
        return groups.setdefault(key, RepDay(rep=None))

    for activity in activities:
        group = group_of(activity.owner_id)
        if activity.due_date < today:
            group.overdue.append(activity)
        elif activity.due_date == today:
            group.today.append(activity)
        else:
            group.upcoming.append(activity)
    for deal in deals:
        group = group_of(deal.owner_id)
        if deal.needs_next_step:
            group.no_next_step.append(deal)
        if deal.is_stale:
            group.stale.append(deal)
    for lead in leads:
        group_of(lead.owner_id).new_leads.append(lead)

    ordered = list(groups.values())
    if by_rep:
        # The manager's own list is shown only when it has something; unassigned work last.
        ordered = [g for g in ordered if g.rep is not None and (g.rep != user or not g.is_empty)]
        ordered += [g for g in groups.values() if g.rep is None and not g.is_empty]
    return Day(user=user, date=today, groups=ordered, by_rep=by_rep)
