"""Writing activities: every change to an activity goes through one of these functions.

The record an activity is about (a lead, an opportunity, a contact or a company) is passed as
``record``; callers fetch it through that model's ``visible_to(user)`` first.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from activities.models import (
    Activity,
    CalendarFeed,
    hash_feed_token,
    start_of_day,
    subject_field,
)
from audit.tracking import record_update
from crm.models import User
from crm.versions import StaleEdit
from infra.events import emit
from infra.report_cache import figures_changed


class NextStepRequired(ValidationError):
    """Completing the activity would leave an open deal with no dated next step."""


@dataclass(frozen=True)
class NextStep:
    """The follow-up scheduled when an activity is completed."""

    kind: str
    subject: str
    due_date: datetime.date
    due_time: datetime.time | None = None


@dataclass(frozen=True)
class Completion:
    activity: Activity
    next_activity: Activity | None


def _team_for(owner: User | None, record):
    if owner is not None and owner.team_id is not None:
        return owner.team
    return record.team


def _create_about(record, *, owner: User | None, **fields) -> Activity:
    """A new activity about ``record``, filed under its owner's team; the figures that count
    it are retired."""
    activity = Activity.objects.create(
        owner=owner, team=_team_for(owner, record), **{subject_field(record): record}, **fields
    )
    figures_changed(activity, record)
    return activity


def hand_over_pending(record, *, previous_owner_id: int | None) -> int:
    """``record`` has changed hands: the steps still to do that its previous owner held go with
    it to the new owner (someone else's stay theirs), so that they land on the new owner's day
    rather than on the day of someone who may no longer see the record. Returns how many.
    Their versions rise, so that a form opened on one of them before is refused."""
    return hand_over_pending_all([record], previous_owner_ids={record.pk: previous_owner_id})


def hand_over_pending_all(records, *, previous_owner_ids: dict) -> int:
    """``hand_over_pending`` for many records of one kind at once (a bulk assignment): one
    read of their steps, one UPDATE per new owner, and their history in one INSERT."""
    handed = [
        record
        for record in records
        if record.owner_id is not None
        and previous_owner_ids.get(record.pk) not in (None, record.owner_id)
    ]
    if not handed:
        return 0
    field = subject_field(handed[0])
    by_pk = {record.pk: record for record in handed}
    pending = Activity.objects.pending().filter(**{f"{field}__in": list(by_pk)})
    moving = [
        activity
        for activity in pending.only("owner", "team", field)
        if activity.owner_id == previous_owner_ids[getattr(activity, f"{field}_id")]
    ]
    to_owner: dict[tuple, list[Activity]] = {}
    for activity in moving:
        record = by_pk[getattr(activity, f"{field}_id")]
        to_owner.setdefault((record.owner_id, record.team_id), []).append(activity)
    now = timezone.now()
    for (owner_id, team_id), activities in to_owner.items():
        Activity.objects.filter(pk__in=[activity.pk for activity in activities]).update(
            owner_id=owner_id, team_id=team_id, updated_at=now, version=F("version") + 1
        )
        record_update(activities, owner=owner_id, team=team_id)
    return len(moving)


@transaction.atomic
def log_activity(
    *,
    record,
    by: User,
    kind: str,
    subject: str,
    done_on: datetime.date | None = None,
    outcome: str = "",
    notes: str = "",
) -> Activity:
    """Record something already done (a call made, a meeting held), owned by whoever did it."""
    now = timezone.now()
    today = timezone.localdate(now)
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": _("A logged activity cannot be in the future.")})
    if kind == Activity.Kind.NOTE:
        raise ValidationError({"kind": _("Use a note for a plain remark.")})
    # Today's activity is done now; an earlier one at noon that day (the hour is not asked).
    done_at = now if done_on == today else start_of_day(done_on) + datetime.timedelta(hours=12)
    activity = _create_about(
        record,
        owner=by,
        kind=kind,
        subject=subject,
        due_date=done_on,
        done_at=done_at,
        done_by=by,
        outcome=outcome,
        notes=notes,
    )
    emit("activity.completed", activity)  # logged as done
    return activity


@transaction.atomic
def schedule_activity(
    *,
    record,
    by: User,
    kind: str,
    subject: str,
    due_date: datetime.date,
    due_time: datetime.time | None = None,
    duration: int | None = None,
    remind_minutes_before: int | None = None,
    notes: str = "",
    owner: User | None = None,
) -> Activity:
    """Plan something to do on or after today. It lands on the day of the record's owner
    (or of whoever plans it, when the record has no owner)."""
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("A scheduled activity cannot be due in the past.")})
    if kind == Activity.Kind.NOTE:
        raise ValidationError({"kind": _("A note cannot be scheduled.")})
    return _create_about(
        record,
        owner=owner or record.owner or by,
        kind=kind,
        subject=subject,
        due_date=due_date,
        due_time=due_time,
        duration=duration,
        remind_minutes_before=remind_minutes_before,
        notes=notes,
    )


@transaction.atomic
def reschedule_activity(
    activity: Activity,
    *,
    by: User,
    due_date: datetime.date,
    due_time: datetime.time | None = None,
    remind_minutes_before: int | None = None,
) -> Activity:
    """Move a pending activity to another day or time. Its reminder is sent again, counted
    from the new time. ``by`` is who moves it (kept for the services' common shape)."""
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    if not activity.is_pending:
        raise ValidationError(_("This activity is already done."))
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("A scheduled activity cannot be due in the past.")})
    if remind_minutes_before is not None and due_time is None:
        raise ValidationError(
            {"remind_minutes_before": _("A reminder needs a time to count from.")}
        )
    now = timezone.now()
    activity.due_date, activity.due_time = due_date, due_time
    activity.remind_minutes_before = remind_minutes_before
    activity.reminded_at, activity.updated_at = None, now
    activity.version += 1
    activity.save(
        update_fields=[
            "due_date",
            "due_time",
            "remind_minutes_before",
            "reminded_at",
            "updated_at",
            "version",
        ]
    )
    figures_changed(activity, activity.record)
    return activity


@transaction.atomic
def complete_activity(
    activity: Activity,
    *,
    outcome: str,
    by: User,
    next_step: NextStep | None = None,
    without_next_step: bool = False,
    version: int | None = None,
) -> Completion:
    """Mark a pending activity done with its outcome, and schedule the next step if given.

    On an open deal, the next step is required unless another pending activity is already
    due today or later, or the user says there is none for now (``without_next_step``): every
    open deal keeps a dated next step, or shows that it has none (its "No next step" badge).

    ``version`` is the one the completing form was loaded at: if someone else completed or
    changed the activity since, ``crm.versions.StaleEdit`` says so and nothing is written.
    Without it, a done activity is still refused.
    """
    if next_step is not None and without_next_step:
        raise ValueError("A next step, or none for now: not both.")
    # Lock the row: two clicks (or two people) must not complete it twice.
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("opportunity")
        .get(pk=activity.pk)
    )
    if version is not None and activity.version != version:
        raise StaleEdit(activity)
    if not activity.is_pending:
        raise ValidationError(_("This activity is already done."))
    if next_step is None and not without_next_step and activity.needs_next_step_after():
        raise NextStepRequired(_("This deal has no other next step: schedule one."))
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(
        done_at=now, done_by=by, outcome=outcome, updated_at=now, version=F("version") + 1
    )
    activity.done_at, activity.done_by, activity.outcome, activity.updated_at = (
        now,
        by,
        outcome,
        now,
    )
    activity.version += 1
    figures_changed(activity, activity.opportunity)  # a deal's next step counts on its owner's
    emit("activity.completed", activity)
    next_activity = None
    if next_step is not None:
        next_activity = schedule_activity(
            record=activity.record,
            by=by,
            kind=next_step.kind,
            subject=next_step.subject,
            due_date=next_step.due_date,
            due_time=next_step.due_time,
        )
    return Completion(activity=activity, next_activity=next_activity)


@transaction.atomic
def receive_message(*, record, subject: str, text: str) -> Activity:
    """Something the customer sent (a web-form message, later an email), on the record's
    timeline and its owner's: done when it arrived, done by nobody in the CRM."""
    return _create_about(
        record,
        owner=record.owner,
        kind=Activity.Kind.NOTE,
        subject=Truncator(subject).chars(200),
        notes=text,
        done_at=timezone.now(),
    )


@transaction.atomic
def add_note(*, record, by: User, text: str) -> Activity:
    """A plain remark on a record: done the moment it is written, never due."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write something.")})
    first_line = text.splitlines()[0]
    return _create_about(
        record,
        owner=by,
        kind=Activity.Kind.NOTE,
        subject=Truncator(first_line).chars(200),
        notes=text,
        done_at=timezone.now(),
        done_by=by,
    )


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeed
    token: str  # what the address carries, shown once


@transaction.atomic
def renew_calendar_feed(*, user: User) -> NewFeed:
    """A new private calendar address for ``user``; the one they had stops working."""
    revoke_calendar_feed(user=user)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, hashed=hash_feed_token(token))
    return NewFeed(feed=feed, token=token)


def revoke_calendar_feed(*, user: User) -> int:
    """``user``'s calendar address stops working (calendars subscribed to it keep what they
    last read). Returns how many addresses were revoked."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
