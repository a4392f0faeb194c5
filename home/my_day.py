"""A rep's day (their home page and daily digest), and a manager's: the same, by rep.

Built in a constant number of queries: for a manager, the team's people; which items each
section shows and how many it has (pending activities due up to a week ahead, open deals that
need attention, new leads nobody has touched), kept in the cache until the next write that can
change them; then those items with what they show (records, badges, owners).

Each section shows its first ``SECTION_SIZE`` items and counts the rest: at the size of a
large sales organisation a rep has hundreds of calls due this week and hundreds of untouched
leads, and a page listing all of them is neither readable nor fast. The database numbers the
rows of each person's section (a window function) and returns only the first ones, with the
section's total. Its "and N more" leads to the list of them all (``section_links``).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from activities.models import UPCOMING_DAYS, Activity, with_activity_badges
from crm.models import User
from crm.models.scoping import InSubquery
from infra.report_cache import cached_figures
from leads.models import Lead
from opportunities.models import Opportunity
from opportunities.risk import attach_risks, risk_annotations

# Items shown per section of one person's day (of each rep's, on a manager's day of the
# whole team); the section's badge counts them all.
SECTION_SIZE = 10
TEAM_SECTION_SIZE = 2
SECTIONS = ("overdue", "today", "upcoming", "no_next_step", "stale", "new_leads")
# The sections of deals, and the flag that puts a deal in each (with_activity_badges'; a deal
# without a next step is listed there alone, with its stale badge if it has one).
DEAL_SECTIONS = (("no_next_step", "needs_next_step"), ("stale", "stale_only"))
# The list that shows every item of a section, with the filters that pick them: where its
# "and N more" leads. Whose they are is added by ``section_links``.
SECTION_LISTS = {
    "overdue": ("activities:list", {"due": "overdue"}),
    "today": ("activities:list", {"due": "today"}),
    "upcoming": ("activities:list", {"due": "week"}),
    "no_next_step": ("opportunities:list", {"badge": "no_next_step"}),
    "stale": ("opportunities:list", {"badge": "stale_planned"}),
    "new_leads": ("leads:list", {"status": "new", "untouched": "on"}),
}


@dataclass
class RepDay:
    """One person's list; ``rep`` is None for unassigned records of the team.

    Each section holds at most ``SECTION_SIZE`` items (``TEAM_SECTION_SIZE`` on a manager's
    day); ``totals[section]`` counts them all.
    """

    rep: User | None
    overdue: list[Activity] = field(default_factory=list)
    today: list[Activity] = field(default_factory=list)
    upcoming: list[Activity] = field(default_factory=list)
    no_next_step: list[Opportunity] = field(default_factory=list)
    stale: list[Opportunity] = field(default_factory=list)
    new_leads: list[Lead] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    # Each section's full list (``section_links``).
    links: dict[str, str] = field(default_factory=dict)

    @property
    def due_count(self) -> int:
        """Activities to do today, overdue ones included."""
        return self.totals["overdue"] + self.totals["today"]

    @property
    def more(self) -> dict[str, int]:
        """How many items of each section are not shown."""
        return {name: self.totals[name] - len(getattr(self, name)) for name in SECTIONS}

    @property
    def is_empty(self) -> bool:
        return not any(self.totals.values())

    def add(self, section: str, item, *, partition, section_total: int, seen: set) -> None:
        """Add an item (the database's first of its partition) and count its partition once.

        A group can gather several partitions (a rep's own and their team's unowned records):
        ``trim`` then keeps the first of them all.
        """
        items = getattr(self, section)
        items.append(item)
        key = (id(self), section, partition)
        if key not in seen:
            seen.add(key)
            self.totals[section] += section_total

    def trim(self, orderings: dict, size: int) -> None:
        for section, key in orderings.items():
            items = sorted(getattr(self, section), key=key)
            setattr(self, section, items[:size])


@dataclass
class Day:
    user: User
    date: datetime.date
    groups: list[RepDay]
    by_rep: bool  # a manager's (or admin's) view, one group per rep

    @property
    def is_empty(self) -> bool:
        return all(group.is_empty for group in self.groups)


def _by_due(activity: Activity):
    return (activity.due_date, activity.due_time or datetime.time.min, activity.pk)


def _by_close(deal: Opportunity):
    return (deal.expected_close_date, deal.pk)


def _by_arrival(lead: Lead):
    return (lead.created_at, lead.pk)


# How each section is sorted once a group has gathered its partitions.
ORDERINGS = {
    "overdue": _by_due,
    "today": _by_due,
    "upcoming": _by_due,
    "no_next_step": _by_close,
    "stale": _by_close,
    "new_leads": _by_arrival,
}


def section_links(user: User, rep: User | None) -> dict[str, str]:
    """The address of the list that shows every item of each section of ``rep``'s part of
    ``user``'s day (the unassigned part when ``rep`` is None): the same records as the section
    counts, by the rules of ``_scoped``, through the lists' own filters (each list starts from
    what the user sees).

    A rep's deals and leads are all those they see, their activities their own; on a
    manager's day each rep's part is that rep's, and the unassigned part holds what nobody
    here owns (nobody, or someone no longer active); an administrator's day is their own.
    """
    whose = {"unassigned": "on"} if rep is None else {"owner": rep.pk}
    links = {}
    for section, (list_name, filters) in SECTION_LISTS.items():
        query = dict(filters)
        if user.is_manager or user.is_admin or list_name == "activities:list":
            query |= whose
        links[section] = f"{reverse(list_name)}?{urlencode(query)}"
    return links


def _people(user: User) -> list[User]:
    """Whose work is on ``user``'s day: themselves and, for a manager, every member of the
    teams they run (those no longer active included: their records are the team's to pick
    up), by name."""
    if not user.is_manager:
        return [user]
    people = User.objects.filter(Q(team__manager=user) | Q(pk=user.pk))
    return list(people.order_by("first_name", "last_name", "username"))


def _scoped(user: User, owners: list[int], queryset, *, activities: bool = False):
    """The rows of ``queryset`` that belong on ``user``'s day, ``owners`` being the ids of
    ``_people(user)``.

    - a rep's: the activities they own; the deals and leads they see (``visible_to``: their
      own and their team's unowned ones);
    - a manager's: the same for themselves and the members of the teams they run;
    - an administrator's: their own only. They run the system, not a team, and a day of every
      person in the company (hundreds of people, thousands of items) is no one's day.

    The owners are named by their ids so that PostgreSQL estimates the rows of the few people
    of a team, and reads each one's stretch of the partial indexes that match the sections.
    """
    if user.is_admin or (activities and not user.is_manager):
        return queryset.filter(owner=user)
    if not user.is_manager:
        return queryset.visible_to(user)
    if activities:
        return queryset.filter(owner_id__in=owners)
    teams = user.managed_teams.order_by().values("pk")
    return queryset.filter(
        Q(owner_id__in=owners) | Q(owner__isnull=True) & Q(InSubquery(F("team"), teams))
    )


def _first_of_each(queryset, *, section, order_by, size: int):
    """Only the first ``size`` rows of each (owner, section), each with ``section_total``,
    the number of rows of its partition."""
    partition = [F("owner_id"), section]
    return queryset.annotate(
        position=Window(RowNumber(), partition_by=partition, order_by=order_by),
        section_total=Window(Count("pk"), partition_by=partition),
    ).filter(position__lte=size)


def _picked(user: User, owners: list[int], *, today: datetime.date, size: int) -> dict:
    """Which items each section of the day shows, and how many it has, as plain data:
    ``activities`` {pk: (section, total)}, ``deals`` {pk: [(section, total), ...]} and
    ``leads`` {pk: total}, the totals being those of the item owner's section.

    The database numbers the rows of each owner's section (a window function) and returns
    only the first ones, with the section's total. Every open deal is numbered, flagged or
    not: filtering on the flags as well would have the database work them out twice.
    """
    when = Case(
        When(due_date__lt=today, then=Value("overdue")),
        When(due_date=today, then=Value("today")),
        default=Value("upcoming"),
    )
    pending = Activity.objects.pending().filter(
        due_date__lte=today + datetime.timedelta(days=UPCOMING_DAYS)
    )
    activities = _first_of_each(
        _scoped(user, owners, pending, activities=True).annotate(section=when),
        section=F("section"),
        order_by=[F("due_date").asc(), F("due_time").asc(), F("pk").asc()],
        size=size,
    ).values_list("pk", "section", "section_total")

    flagged = with_activity_badges(
        _scoped(user, owners, Opportunity.objects.open()), today=today
    ).annotate(
        stale_only=ExpressionWrapper(
            Q(is_stale=True, needs_next_step=False), output_field=BooleanField()
        )
    )
    order = [F("expected_close_date").asc(), F("pk").asc()]
    numbered = {}
    for section, flag in DEAL_SECTIONS:
        partition = [F("owner_id"), F(flag)]
        numbered |= {
            f"{section}_position": Window(RowNumber(), partition_by=partition, order_by=order),
            f"{section}_total": Window(Count("pk"), partition_by=partition),
        }
    deals = (
        flagged.annotate(**numbered)
        .filter(
            Q(needs_next_step=True, no_next_step_position__lte=size)
            | Q(stale_only=True, stale_position__lte=size)
        )
        .values("pk", "needs_next_step", "stale_only", "no_next_step_total", "stale_total")
    )

    untouched = ~Exists(Activity.objects.filter(lead=OuterRef("pk")))
    leads = _first_of_each(
        _scoped(user, owners, Lead.objects.filter(status=Lead.Status.NEW)).filter(untouched),
        section=Value("new"),
        order_by=[F("created_at").asc(), F("pk").asc()],
        size=size,
    ).values_list("pk", "section_total")

    return {
        "activities": {pk: (section, total) for pk, section, total in activities},
        "deals": {
            row["pk"]: [
                (section, row[f"{section}_total"]) for section, flag in DEAL_SECTIONS if row[flag]
            ]
            for row in deals
        },
        "leads": dict(leads),
    }


def build_day(user: User, *, today: datetime.date | None = None) -> Day:
    today = today or timezone.localdate()
    by_rep = user.is_manager
    size = TEAM_SECTION_SIZE if by_rep else SECTION_SIZE
    people = _people(user)
    owners = [person.pk for person in people]

    # Which items, and how many, in two steps: working that out reads every pending
    # activity, open deal and new lead of the people concerned (thousands on a manager's
    # day), so it is kept in the cache until the next write that can change it (a write to
    # an activity, a deal or a lead retires the figures of those who see it: see
    # infra.report_cache). The items themselves are read afresh on every request.
    # The key names who is asking and everyone whose records the day holds, hashed: a large
    # team's ids would make a key longer than a cache accepts.
    scope = "admin" if user.is_admin else user.role
    teams = sorted({person.team_id for person in people if person.pk != user.pk})
    who = hashlib.sha256(repr((owners, teams)).encode()).hexdigest()
    key = [user.pk, scope, user.team_id, today.isoformat(), size, who]
    picked = cached_figures(
        "my_day", key, lambda: _picked(user, owners, today=today, size=size), user=user
    )
    # The picked items are read through the same scope: one changed where nothing retires the
    # cache (a shell, SQL) and no longer the user's is left out, not shown.
    activities = (
        _scoped(
            user,
            owners,
            Activity.objects.filter(pk__in=list(picked["activities"])),
            activities=True,
        )
        .with_subjects()
        .order_by("due_date", "due_time", "pk")
    )
    deals = attach_risks(
        with_activity_badges(
            _scoped(user, owners, Opportunity.objects.filter(pk__in=list(picked["deals"]))),
            today=today,
        )
        .annotate(**risk_annotations())
        .select_related("owner", "stage", "company")
        .order_by("expected_close_date", "pk"),
        user=user,
    )
    leads = _scoped(user, owners, Lead.objects.filter(pk__in=list(picked["leads"]))).select_related(
        "owner", "source"
    )

    groups: dict[int | None, RepDay] = {}
    if by_rep:
        for person in people:
            if person.is_active:
                groups[person.pk] = RepDay(rep=person)
    else:
        groups[user.pk] = RepDay(rep=user)

    def group_of(owner_id: int | None) -> RepDay:
        if not by_rep:
            return groups[user.pk]
        # Unowned records (and those of people no longer active) are the team's to pick up.
        key = owner_id if owner_id in groups else None
        return groups.setdefault(key, RepDay(rep=None))

    seen: set = set()
    for activity in activities:
        section, total = picked["activities"][activity.pk]
        group_of(activity.owner_id).add(
            section, activity, partition=activity.owner_id, section_total=total, seen=seen
        )
    for deal in deals:
        for section, total in picked["deals"][deal.pk]:
            group_of(deal.owner_id).add(
                section, deal, partition=deal.owner_id, section_total=total, seen=seen
            )
    for lead in leads:
        group_of(lead.owner_id).add(
            "new_leads",
            lead,
            partition=lead.owner_id,
            section_total=picked["leads"][lead.pk],
            seen=seen,
        )

    for group in groups.values():
        group.trim(ORDERINGS, size)
        group.links = section_links(user, group.rep)

    ordered = list(groups.values())
    if by_rep:
        # The manager's own list is shown only when it has something; unassigned work last.
        ordered = [g for g in ordered if g.rep is not None and (g.rep != user or not g.is_empty)]
        ordered += [g for g in groups.values() if g.rep is None and not g.is_empty]
    return Day(user=user, date=today, groups=ordered, by_rep=by_rep)
