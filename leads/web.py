"""The public form's messages that tripped a spam check: held, then released or purged.

Nothing a customer sends is thrown away unseen. A message that looks sent by a bot is kept as a
``WebSubmission`` for the managers of the team it would have gone to; releasing it makes the
lead the form would have made, through the same ``create_web_lead``.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Team, User
from leads.models import Lead, WebSubmission
from leads.services import create_web_lead

logger = logging.getLogger(__name__)


class WebSubmissionError(ValueError):
    """A review the submission's current state does not allow."""


def hold_submission(
    *,
    name: str,
    email: str,
    phone: str,
    company: str,
    message: str,
    website: str,
    reason: str,
    address: str,
    user_agent: str,
    team_name: str,
) -> WebSubmission:
    """Keep a message from the public form for review instead of making it a lead."""
    field = WebSubmission._meta.get_field
    return WebSubmission.objects.create(
        name=name,
        email=email,
        phone=phone,
        company=company,
        message=message,
        website=website[: field("website").max_length],
        reason=reason,
        address=address[: field("address").max_length],
        user_agent=user_agent[: field("user_agent").max_length],
        team=Team.objects.filter(name=team_name).first() if team_name else None,
    )


def _lock(submission: WebSubmission) -> WebSubmission:
    """The submission's row, locked: two reviewers (or a double click) take turns, and the
    second one sees what the first left. Raises ``WebSubmission.DoesNotExist`` once purged."""
    return (
        WebSubmission.objects.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=submission.pk)
    )


@transaction.atomic
def release_submission(submission: WebSubmission, *, by: User) -> Lead:
    """Make the held message the lead the form would have made (same source, round-robin owner
    in its team); released once, however often it is asked."""
    locked = _lock(submission)
    if not locked.is_held:
        if locked.lead_id is None:
            raise WebSubmissionError(_("This message was released, but its lead is gone."))
        return Lead.objects.get(pk=locked.lead_id)
    lead = create_web_lead(
        name=locked.name,
        email=locked.email,
        phone=locked.phone,
        company_name=locked.company,
        message=locked.message,
        team_name=locked.team.name if locked.team else "",
    )
    locked.status = WebSubmission.Status.RELEASED
    locked.lead = lead
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "lead", "reviewed_by", "reviewed_at"])
    for name in ("status", "lead", "reviewed_by", "reviewed_at"):
        setattr(submission, name, getattr(locked, name))
    return lead


@transaction.atomic
def purge_submission(submission: WebSubmission, *, by: User) -> None:
    """Delete a held message for good. A released one stays: it is where its lead came from."""
    locked = _lock(submission)
    if not locked.is_held:
        raise WebSubmissionError(_("A released message is kept with its lead."))
    locked.delete()
    logger.info(
        "Held web submission purged",
        extra={"submission": submission.pk, "reason": locked.reason, "by": by.pk},
    )


@transaction.atomic
def purge_submissions(submissions: Iterable[WebSubmission], *, by: User) -> int:
    """Purge every one of ``submissions`` still held; the count of those deleted."""
    ids = [submission.pk for submission in submissions]
    held = WebSubmission.objects.select_for_update().held().filter(pk__in=ids)
    deleted = list(held.values_list("pk", flat=True))
    WebSubmission.objects.filter(pk__in=deleted).delete()
    if deleted:
        logger.info("Held web submissions purged", extra={"submissions": deleted, "by": by.pk})
    return len(deleted)
