"""Every write to an opportunity goes through one of these functions, which record history.

Each transition checks the deal's ``version`` in the UPDATE itself: when someone else saved the
deal since it was loaded, no row matches, nothing is written and ``ConcurrentEditError`` says so.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.services import hand_over_pending
from crm.models import User
from crm.services import team_for_owner
from infra.events import emit
from infra.report_cache import figures_changed
from notifications.models import Notification
from notifications.services import notify
from opportunities.models import (
    LostReason,
    Opportunity,
    OpportunityChange,
    Pipeline,
    Stage,
    ended_stays,
)

# Fields whose every change is kept in the history, in the order they are recorded.
TRACKED_FIELDS = ("stage", "status", "amount", "probability", "expected_close_date")

# What ``update_opportunity`` may change; status goes through mark_won/mark_lost/reopen only.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "company",
        "contact",
        "pipeline",
        "stage",
        "amount",
        "currency",
        "probability",
        "probability_is_manual",
        "forecast_category",
        "expected_close_date",
        "owner",
        "team",
        "notes",
    }
)


class ConcurrentEditError(Exception):
    """The deal was saved by someone else since it was loaded; nothing was written."""

    def __init__(self, current: Opportunity):
        self.current = current
        super().__init__(f"Opportunity {current.pk} is now at version {current.version}.")


class InvalidTransition(ValueError):
    """The change makes no sense for the deal as it is (e.g. moving a closed deal)."""


def default_pipeline() -> Pipeline | None:
    return Pipeline.objects.filter(is_default=True).first() or Pipeline.objects.first()


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Stage):
        return value.name
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _save(
    opportunity: Opportunity,
    *,
    by: User | None,
    version: int,
    old: dict[str, Any],
    fields: list[str],
) -> Opportunity:
    """Write ``fields`` of ``opportunity`` if it is still at ``version``; record what changed.

    The version check and the write are one UPDATE, so two saves racing for the same version
    cannot both succeed: the second finds no row at that version and writes nothing.
    """
    now = timezone.now()
    values = {}
    for name in fields:
        field = Opportunity._meta.get_field(name)
        values[field.attname] = getattr(opportunity, field.attname)
    updated = Opportunity.objects.filter(pk=opportunity.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **values
    )
    if updated == 0:
        raise ConcurrentEditError(Opportunity.objects.get(pk=opportunity.pk))
    opportunity.version = version + 1
    opportunity.updated_at = now
    rows = []
    for name in TRACKED_FIELDS:
        if name not in old:
            continue
        before, after = old[name], getattr(opportunity, name)
        if before == after:
            continue
        row = OpportunityChange(
            opportunity=opportunity,
            field=name,
            old_value=_as_text(before),
            new_value=_as_text(after),
            changed_by=by,
            changed_at=now,
        )
        if name == "stage":
            row.from_stage, row.to_stage = before, after
        rows.append(row)
    end_stays(opportunity, rows)
    OpportunityChange.objects.bulk_create(rows)
    figures_changed(opportunity)
    return opportunity


def end_stays(opportunity: Opportunity, rows: list[OpportunityChange]) -> None:
    """Record, on the row that began it, the end of each stay that a change among ``rows``
    (not yet saved, in order) ends: one begun among ``rows``, or the deal's latest stay on
    record, which the first stage or status change among them ends."""
    pairs = ended_stays(rows)
    for begun, ending in pairs:
        begun.left_at, begun.moved_on = ending.changed_at, ending.moves_on
    first = next((row for row in rows if row.field in OpportunityChange.ENDS_STAY), None)
    if first is None or any(ending is first for _begun, ending in pairs):
        return
    latest = (
        opportunity.changes.filter(field__in=OpportunityChange.ENTERS_STAGE)
        .order_by("-changed_at", "-pk")
        .values("pk")[:1]
    )
    OpportunityChange.objects.filter(pk__in=latest, left_at__isnull=True).update(
        left_at=first.changed_at, moved_on=first.moves_on
    )


def _snapshot(opportunity: Opportunity) -> dict[str, Any]:
    return {name: getattr(opportunity, name) for name in TRACKED_FIELDS}


@transaction.atomic
def create_opportunity(*, by: User | None, stage: Stage, **fields) -> Opportunity:
    """Create an open deal in ``stage``; its probability defaults to the stage's."""
    fields.setdefault("probability", stage.probability)
    fields.setdefault("owner", by)
    if fields.get("owner") is not None:
        fields.setdefault("team", team_for_owner(fields["owner"]))
    opportunity = Opportunity.objects.create(pipeline=stage.pipeline, stage=stage, **fields)
    OpportunityChange.objects.create(
        opportunity=opportunity,
        field=OpportunityChange.Field.CREATED,
        new_value=stage.name,
        to_stage=stage,
        changed_by=by,
    )
    figures_changed(opportunity)
    emit("opportunity.created", opportunity)
    return opportunity


@transaction.atomic
def move_opportunity(
    opportunity: Opportunity, *, stage: Stage, by: User | None, version: int | None = None
) -> Opportunity:
    """Move an open deal to another stage of its pipeline.

    The probability follows the new stage's default unless the user set it by hand.
    """
    if not opportunity.is_open:
        raise InvalidTransition(_("Only an open deal can change stage; reopen it first."))
    if stage.pipeline_id != opportunity.pipeline_id:
        raise InvalidTransition(_("That stage belongs to another pipeline."))
    if stage.pk == opportunity.stage_id:
        return opportunity
    expected = opportunity.version if version is None else version
    old = _snapshot(opportunity)
    opportunity.stage = stage
    fields = ["stage"]
    if not opportunity.probability_is_manual:
        opportunity.probability = stage.probability
        fields.append("probability")
    _save(opportunity, by=by, version=expected, old=old, fields=fields)
    emit("opportunity.stage_changed", opportunity)
    return opportunity


@transaction.atomic
def mark_won(
    opportunity: Opportunity,
    *,
    by: User | None,
    closed_date: datetime.date | None = None,
    version: int | None = None,
) -> Opportunity:
    """Close an open deal as won: probability 100, closed today (or on ``closed_date``).

    The stage is left as it was, so reports can tell at which stage deals were won.
    """
    if not opportunity.is_open:
        raise InvalidTransition(_("This deal is already closed."))
    expected = opportunity.version if version is None else version
    old = _snapshot(opportunity)
    opportunity.status = Opportunity.Status.WON
    opportunity.probability = 100
    opportunity.closed_date = closed_date or timezone.localdate()
    fields = ["status", "probability", "closed_date"]
    _save(opportunity, by=by, version=expected, old=old, fields=fields)
    emit("opportunity.won", opportunity)
    return opportunity


@transaction.atomic
def mark_lost(
    opportunity: Opportunity,
    *,
    reason: LostReason | None,
    competitor: str = "",
    by: User | None,
    closed_date: datetime.date | None = None,
    version: int | None = None,
) -> Opportunity:
    """Close an open deal as lost, with a reason: probability 0, closed today.

    The stage is left as it was, so reports can tell at which stage deals were lost.
    """
    if not opportunity.is_open:
        raise InvalidTransition(_("This deal is already closed."))
    if reason is None:
        raise InvalidTransition(_("Say why the deal was lost."))
    expected = opportunity.version if version is None else version
    old = _snapshot(opportunity)
    opportunity.status = Opportunity.Status.LOST
    opportunity.probability = 0
    opportunity.closed_date = closed_date or timezone.localdate()
    opportunity.lost_reason = reason
    opportunity.competitor = competitor.strip()
    fields = ["status", "probability", "closed_date", "lost_reason", "competitor"]
    _save(opportunity, by=by, version=expected, old=old, fields=fields)
    emit("opportunity.lost", opportunity)
    return opportunity


@transaction.atomic
def reopen(opportunity: Opportunity, *, by: User | None, version: int | None = None) -> Opportunity:
    """Open a won or lost deal again, in the stage it was closed at.

    The probability goes back to what it was before closing when it had been set by hand,
    otherwise to the stage's default.
    """
    if opportunity.is_open:
        raise InvalidTransition(_("This deal is already open."))
    expected = opportunity.version if version is None else version
    old = _snapshot(opportunity)
    probability = opportunity.stage.probability
    if opportunity.probability_is_manual:
        before_closing = (
            opportunity.changes.filter(field=OpportunityChange.Field.PROBABILITY)
            .values_list("old_value", flat=True)
            .first()
        )
        if before_closing and before_closing.isdigit():
            probability = int(before_closing)
    opportunity.status = Opportunity.Status.OPEN
    opportunity.probability = probability
    opportunity.closed_date = None
    opportunity.lost_reason = None
    opportunity.competitor = ""
    fields = ["status", "probability", "closed_date", "lost_reason", "competitor"]
    _save(opportunity, by=by, version=expected, old=old, fields=fields)
    emit("opportunity.reopened", opportunity)
    return opportunity


# The transitions a toast's Undo takes back, and the status each leaves the deal in.
UNDOABLE = {
    "move": Opportunity.Status.OPEN,
    "won": Opportunity.Status.WON,
    "lost": Opportunity.Status.LOST,
}


@transaction.atomic
def undo_transition(
    opportunity: Opportunity, *, action: str, version: int, by: User | None
) -> Opportunity:
    """Take back the move, win or loss (``action``) that left the deal at ``version``.

    The stage, status, probability and closing fields go back to what they were before it, as
    the history that transition wrote says; the way back is recorded in the history like any
    change. Refused with ``ConcurrentEditError`` when the deal was saved since (by anyone, in
    any way), and with ``InvalidTransition`` when its last change was not that ``action``.
    """
    if action not in UNDOABLE:
        raise InvalidTransition(_("There is nothing to undo."))
    if opportunity.version != version:
        raise ConcurrentEditError(opportunity)
    # The rows its last save wrote: they carry the moment the deal itself was saved.
    last = {
        row.field: row
        for row in opportunity.changes.filter(changed_at=opportunity.updated_at).select_related(
            "from_stage"
        )
    }
    stage = last.get(OpportunityChange.Field.STAGE)
    status = last.get(OpportunityChange.Field.STATUS)
    probability = last.get(OpportunityChange.Field.PROBABILITY)
    if action == "move":
        # A move writes its stage and, following it, the probability; an edit writes more.
        undoable = stage is not None and stage.from_stage is not None
        undoable = undoable and set(last) <= {"stage", "probability"}
    else:
        undoable = status is not None and set(last) <= {"status", "probability"}
        undoable = undoable and (status.old_value, status.new_value) == ("open", action)
    if not undoable or opportunity.status != UNDOABLE[action]:
        raise InvalidTransition(_("There is nothing to undo."))
    old = _snapshot(opportunity)
    fields = []
    if stage is not None:
        opportunity.stage = stage.from_stage
        fields.append("stage")
    if probability is not None and probability.old_value.isdigit():
        opportunity.probability = int(probability.old_value)
        fields.append("probability")
    if status is not None:
        opportunity.status = Opportunity.Status.OPEN
        opportunity.closed_date = None
        opportunity.lost_reason = None
        opportunity.competitor = ""
        fields += ["status", "closed_date", "lost_reason", "competitor"]
    _save(opportunity, by=by, version=version, old=old, fields=fields)
    emit("opportunity.stage_changed" if action == "move" else "opportunity.reopened", opportunity)
    return opportunity


@transaction.atomic
def follow_stage_probability(stage: Stage, *, by: User | None) -> int:
    """Give the open deals of ``stage`` whose probability follows their stage's (not set by
    hand) the stage's probability as it is now; return how many changed.

    Each change is recorded and raises the deal's version, so that a form loaded before is
    refused rather than saving the old probability back as if typed by hand.
    """
    following = Opportunity.objects.open().filter(stage=stage, probability_is_manual=False)
    following = following.exclude(probability=stage.probability)
    changed = list(following.select_for_update().values_list("pk", "probability"))
    if not changed:
        return 0
    now = timezone.now()
    following.update(probability=stage.probability, version=F("version") + 1, updated_at=now)
    OpportunityChange.objects.bulk_create(
        OpportunityChange(
            opportunity_id=pk,
            field=OpportunityChange.Field.PROBABILITY,
            old_value=_as_text(probability),
            new_value=_as_text(stage.probability),
            changed_by=by,
            changed_at=now,
        )
        for pk, probability in changed
    )
    figures_changed()
    return len(changed)


@transaction.atomic
def update_opportunity(
    opportunity: Opportunity, *, by: User | None, version: int, **changes
) -> Opportunity:
    """Save an edit made from a form loaded at ``version``.

    A changed probability becomes a manual one; a changed stage brings its probability unless
    the probability is manual. The team always follows the owner.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Cannot edit {', '.join(sorted(unknown))} here.")
    stage = changes.get("stage", opportunity.stage)
    if "pipeline" in changes and stage.pipeline_id != changes["pipeline"].pk:
        raise InvalidTransition(_("That stage belongs to another pipeline."))
    if stage.pk != opportunity.stage_id and not opportunity.is_open:
        raise InvalidTransition(_("Only an open deal can change stage; reopen it first."))
    if "amount" in changes and changes["amount"] is not None and changes["amount"] < Decimal(0):
        raise InvalidTransition(_("The amount cannot be negative."))
    if "probability" in changes and changes["probability"] is not None:
        if not 0 <= changes["probability"] <= 100:
            raise InvalidTransition(_("The probability is a percentage between 0 and 100."))
        if changes["probability"] != opportunity.probability:
            changes.setdefault("probability_is_manual", True)
    elif "probability" in changes:
        del changes["probability"]
    if "owner" in changes:
        owner = changes["owner"]
        changes["team"] = team_for_owner(owner) if owner else opportunity.team
    changes["pipeline"] = stage.pipeline

    previous_owner_id = opportunity.owner_id
    new_owner = changes.get("owner")
    handed_over = "owner" in changes and getattr(new_owner, "pk", None) != previous_owner_id
    if handed_over:
        previous_owner = opportunity.owner
        figures_changed(opportunity)  # those it leaves
    old = _snapshot(opportunity)
    fields = []
    for name, value in changes.items():
        if getattr(opportunity, name) != value:
            setattr(opportunity, name, value)
            fields.append(name)
    if (
        opportunity.stage_id != old["stage"].pk
        and "probability" not in fields
        and not opportunity.probability_is_manual
    ):
        opportunity.probability = opportunity.stage.probability
        fields.append("probability")
    if not fields:
        # Nothing changed: still refuse a stale form, so the user sees the newer values.
        if not Opportunity.objects.filter(pk=opportunity.pk, version=version).exists():
            raise ConcurrentEditError(Opportunity.objects.get(pk=opportunity.pk))
        return opportunity
    _save(opportunity, by=by, version=version, old=old, fields=fields)
    if handed_over:
        OpportunityChange.objects.create(
            opportunity=opportunity,
            field=OpportunityChange.Field.OWNER,
            old_value=_as_text(previous_owner),
            new_value=_as_text(new_owner),
            changed_by=by,
            changed_at=opportunity.updated_at,
        )
        hand_over_pending(opportunity, previous_owner_id=previous_owner_id)
        notify(new_owner, Notification.Kind.DEAL_HANDED_OVER, opportunity, by=by)
    moved = opportunity.stage_id != old["stage"].pk
    emit("opportunity.stage_changed" if moved else "opportunity.updated", opportunity)
    return opportunity
