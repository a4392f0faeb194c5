"""Every write to a lead goes through one of these functions, which record its history."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.services import hand_over_pending
from crm.matching import email_domain
from crm.models import Company, Contact, Team, User
from crm.services import team_for_owner
from infra.report_cache import figures_changed
from leads.models import DisqualifyReason, Lead, LeadConversion, LeadSource, LeadStatusChange
from opportunities.models import Stage
from opportunities.services import create_opportunity as create_deal

# The seeded sources (see the 0004 migration), by their stable code.
SOURCE_NAMES = {
    "phone": "Phone call",
    "web": "Website form",
    "trade-show": "Trade show",
    "referral": "Referral",
    "import": "Import",
    "other": "Other",
}


class LeadError(ValueError):
    """A transition that the lead's current status does not allow."""


def source_for(code: str) -> LeadSource:
    """The source with this stable code; recreated if an admin deleted it."""
    source, _created = LeadSource.objects.get_or_create(
        code=code, defaults={"name": SOURCE_NAMES.get(code, code)}
    )
    return source


def _record(lead: Lead, *, from_status: str, by: User | None, note: str = "") -> LeadStatusChange:
    figures_changed(lead)  # every write to a lead records a row here
    return LeadStatusChange.objects.create(
        lead=lead, from_status=from_status, to_status=lead.status, note=note, changed_by=by
    )


def _assigned_to(owner: User) -> str:
    return _("Assigned to %(owner)s") % {"owner": owner}


def _lock(lead: Lead) -> Lead:
    """Lock the lead's row and take its current status, owner and team, so that two changes at
    the same moment (a rep in the list, a manager's bulk action) apply one after the other,
    each checked against what the other left. The figures counting the lead as it stands (its
    owner's, its team's) are retired: the change moves it out of them."""
    lead.status, lead.owner_id, lead.team_id = (
        Lead.objects.select_for_update()
        .values_list("status", "owner_id", "team_id")
        .get(pk=lead.pk)
    )
    figures_changed(lead)
    return lead


def _move(lead: Lead, *, to: str, by: User | None, note: str = "", extra=()) -> Lead:
    from_status = lead.status
    lead.status = to
    lead.save(update_fields=["status", "updated_at", *extra])
    _record(lead, from_status=from_status, by=by, note=note)
    return lead


@transaction.atomic
def create_lead(*, by: User | None, **fields) -> Lead:
    """A new lead; its team follows its owner unless given."""
    owner = fields.get("owner")
    if owner is not None and not fields.get("team"):
        fields["team"] = team_for_owner(owner)
    lead = Lead.objects.create(status=Lead.Status.NEW, **fields)
    _record(lead, from_status="", by=by)
    return lead


@transaction.atomic
def update_lead(lead: Lead, *, by: User | None, **fields) -> Lead:
    """Edit what we know about a lead. A converted lead is read-only."""
    _lock(lead)
    if lead.is_converted:
        raise LeadError(_("A converted lead cannot be changed."))
    previous_owner_id = lead.owner_id
    for name, value in fields.items():
        setattr(lead, name, value)
    if "owner" in fields and fields["owner"] is not None:
        lead.team = team_for_owner(fields["owner"]) or lead.team
        fields["team"] = lead.team
    lead.save(update_fields=[*fields, "updated_at"])
    hand_over_pending(lead, previous_owner_id=previous_owner_id)
    figures_changed(lead)  # its source or owner counts in the lead reports
    if lead.owner_id != previous_owner_id and lead.owner is not None:
        _record(lead, from_status=lead.status, by=by, note=_assigned_to(lead.owner))
    return lead


@transaction.atomic
def start_working(lead: Lead, *, by: User | None) -> Lead:
    _lock(lead)
    if not lead.can_start_working:
        raise LeadError(_("Only a new lead can be started."))
    return _move(lead, to=Lead.Status.WORKING, by=by)


@transaction.atomic
def qualify(lead: Lead, *, by: User | None) -> Lead:
    _lock(lead)
    if not lead.can_qualify:
        raise LeadError(_("Only a new or worked lead can be qualified."))
    return _move(lead, to=Lead.Status.QUALIFIED, by=by)


@transaction.atomic
def disqualify(lead: Lead, *, reason: DisqualifyReason, note: str = "", by: User | None) -> Lead:
    _lock(lead)
    if not lead.can_disqualify:
        raise LeadError(_("Only an open lead can be disqualified."))
    lead.disqualify_reason = reason
    lead.disqualify_note = note
    return _move(
        lead,
        to=Lead.Status.DISQUALIFIED,
        by=by,
        note=f"{reason}: {note}" if note else str(reason),
        extra=["disqualify_reason", "disqualify_note"],
    )


@transaction.atomic
def reopen(lead: Lead, *, by: User | None) -> Lead:
    _lock(lead)
    if not lead.can_reopen:
        raise LeadError(_("Only a disqualified lead can be reopened."))
    lead.disqualify_reason = None
    lead.disqualify_note = ""
    return _move(lead, to=Lead.Status.NEW, by=by, extra=["disqualify_reason", "disqualify_note"])


@transaction.atomic
def assign(leads: Iterable[Lead], *, owner: User, by: User | None) -> int:
    """Hand leads to ``owner`` (and their team). Converted leads keep their owner."""
    changed = 0
    team = team_for_owner(owner)
    for lead in leads:
        if lead.is_converted or lead.owner_id == owner.pk:
            continue
        figures_changed(lead)  # the figures it leaves
        previous_owner_id = lead.owner_id
        lead.owner = owner
        lead.team = team or lead.team
        lead.save(update_fields=["owner", "team", "updated_at"])
        hand_over_pending(lead, previous_owner_id=previous_owner_id)
        _record(lead, from_status=lead.status, by=by, note=_assigned_to(owner))
        changed += 1
    return changed


@transaction.atomic
def disqualify_many(
    leads: Iterable[Lead], *, reason: DisqualifyReason, note: str = "", by: User | None
) -> int:
    """Disqualify every open lead among ``leads``; the others are left alone."""
    changed = 0
    for lead in leads:
        if lead.can_disqualify:
            disqualify(lead, reason=reason, note=note, by=by)
            changed += 1
    return changed


@transaction.atomic
def create_web_lead(
    *, name: str, email: str, phone: str, company_name: str, message: str, team_name: str
) -> Lead:
    """A lead from the public form, handed round-robin to the active members of ``team_name``.

    The team row is locked so that two submissions at the same moment (on any app server)
    take turns instead of both going to the same person.
    """
    first_name, _sep, last_name = name.strip().rpartition(" ")
    if not last_name:
        first_name, last_name = "", first_name
    team = None
    owner = None
    if team_name:
        team = Team.objects.select_for_update().filter(name=team_name).first()
    if team is not None:
        members = list(team.members.filter(is_active=True).order_by("pk"))
        if members:
            last = (
                Lead.objects.filter(team=team, source__code="web", owner__in=members)
                .order_by("-created_at", "-pk")
                .values_list("owner_id", flat=True)
                .first()
            )
            position = next((i for i, m in enumerate(members) if m.pk == last), -1)
            owner = members[(position + 1) % len(members)]
    return create_lead(
        by=None,
        first_name=first_name[:100],
        last_name=last_name[:100],
        email=email,
        phone=phone,
        company_name=company_name,
        notes=message,
        source=source_for("web"),
        owner=owner,
        team=team,
    )


def suggested_opportunity_name(lead: Lead, company: Company | None = None) -> str:
    company_name = company.name if company else lead.company_name
    return " – ".join(part for part in (company_name, lead.full_name) if part)


def _existing_conversion(lead: Lead) -> LeadConversion | None:
    return (
        LeadConversion.objects.select_related("contact", "company", "opportunity")
        .filter(lead=lead)
        .first()
    )


@transaction.atomic
def convert_lead(
    lead: Lead,
    *,
    by: User | None,
    contact: Contact | None = None,
    company: Company | None = None,
    create_company: bool = False,
    company_name: str = "",
    create_opportunity: bool = False,
    opportunity_name: str = "",
    amount: Decimal = Decimal("0"),
    stage: Stage | None = None,
    expected_close_date: datetime.date | None = None,
    opportunity_owner: User | None = None,
) -> LeadConversion:
    """Turn a lead into a contact (new or ``contact``), optionally a company (new or
    ``company``) and an opportunity, all or nothing.

    Converting twice (a double click, two tabs, two users) converts once: the lead row is
    locked, so the second caller waits and then finds the first one's conversion, which it
    returns. The unique lead column on the conversion is the backstop if anything slips past.
    """
    # The owner comes along: the new records are filed under them.
    locked = Lead.objects.select_for_update(of=("self",)).select_related("owner").get(pk=lead.pk)
    if existing := _existing_conversion(locked):
        return existing
    if not locked.can_convert:
        raise LeadError(_("Only an open lead can be converted."))
    if create_opportunity and stage is None:
        raise LeadError(_("Choose a stage for the opportunity."))

    owner = locked.owner or by
    # By id: the converting user's team is not loaded, and the records need only its id.
    team_id = (owner.team_id if owner else None) or locked.team_id
    try:
        with transaction.atomic():
            if company is None and create_company:
                company = Company.objects.create(
                    name=(company_name or locked.company_name or locked.full_name)[:200],
                    email_domain=email_domain(locked.email),
                    website=locked.website if "://" in locked.website else "",
                    owner=owner,
                    team_id=team_id,
                )
            if contact is None:
                contact = Contact.objects.create(
                    first_name=locked.first_name,
                    last_name=locked.last_name,
                    email=locked.email,
                    phone=locked.phone,
                    job_title=locked.job_title,
                    company=company,
                    owner=owner,
                    team_id=team_id,
                )
            elif company is not None and contact.company_id is None:
                contact.company = company
                contact.save(update_fields=["company", "updated_at"])
            opportunity = None
            if create_opportunity:
                opportunity = create_deal(
                    by=by,
                    stage=stage,
                    name=(opportunity_name or suggested_opportunity_name(locked, company))[:200],
                    company=company,
                    contact=contact,
                    amount=amount or Decimal("0"),
                    expected_close_date=expected_close_date
                    or timezone.localdate() + datetime.timedelta(days=30),
                    owner=opportunity_owner or owner,
                    lead=locked,
                )
            conversion = LeadConversion.objects.create(
                lead=locked,
                contact=contact,
                company=company,
                opportunity=opportunity,
                converted_by=by,
            )
    except IntegrityError:
        # Someone converted it between our read and our write: theirs stands, ours is undone.
        if existing := _existing_conversion(locked):
            return existing
        raise
    _move(locked, to=Lead.Status.CONVERTED, by=by)
    lead.status = locked.status
    return conversion
