"""Every write to a lead goes through one of these functions, which record its history."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.services import hand_over_pending, hand_over_pending_all, receive_message
from audit.tracking import record_update
from crm.matching import company_domain, normalize_email
from crm.models import Company, Contact, Team, User
from crm.models.companies import is_web_address
from crm.phones import stored_phone_or_as_is
from crm.services import team_for_owner
from crm.versions import save_if_current
from infra.events import emit, emit_all
from infra.report_cache import figures_changed
from leads.models import DisqualifyReason, Lead, LeadConversion, LeadSource, LeadStatusChange
from notifications.models import Notification
from notifications.services import notify, notify_all
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


def _record_all(
    leads: list[Lead], *, from_statuses: dict[int, str], by: User | None, note: str = ""
) -> None:
    """``_record`` for many leads, in one INSERT."""
    for lead in leads:
        figures_changed(lead)
    LeadStatusChange.objects.bulk_create(
        LeadStatusChange(
            lead=lead,
            from_status=from_statuses[lead.pk],
            to_status=lead.status,
            note=note,
            changed_by=by,
        )
        for lead in leads
    )


def _assigned_to(owner: User) -> str:
    return _("Assigned to %(owner)s") % {"owner": owner}


def _lock(lead: Lead) -> Lead:
    """Lock the lead's row and take its current status, owner and team, so that two changes at
    the same moment (a rep in the list, a manager's bulk action) apply one after the other,
    each checked against what the other left. The figures counting the lead as it stands (its
    owner's, its team's) are retired: the change moves it out of them."""
    lead.status, lead.owner_id, lead.team_id, lead.version = (
        Lead.objects.select_for_update()
        .values_list("status", "owner_id", "team_id", "version")
        .get(pk=lead.pk)
    )
    figures_changed(lead)
    return lead


def _move(lead: Lead, *, to: str, by: User | None, note: str = "", extra=()) -> Lead:
    """Give the lead (locked by ``_lock``) the status ``to`` and the ``extra`` fields it holds.
    Its version rises in the same UPDATE, so that an edit form opened before is refused."""
    from_status = lead.status
    lead.status = to
    lead.updated_at = timezone.now()
    attnames = [Lead._meta.get_field(name).attname for name in extra]
    Lead.objects.filter(pk=lead.pk).update(
        status=to,
        updated_at=lead.updated_at,
        version=F("version") + 1,
        **{attname: getattr(lead, attname) for attname in attnames},
    )
    lead.version += 1
    _record(lead, from_status=from_status, by=by, note=note)
    return lead


@transaction.atomic
def create_lead(*, by: User | None, **fields) -> Lead:
    """A new lead; its team follows its owner unless given. An owner other than its maker is
    told."""
    owner = fields.get("owner")
    if owner is not None and not fields.get("team"):
        fields["team"] = team_for_owner(owner)
    lead = Lead(status=Lead.Status.NEW, **fields)
    if lead.email_opt_out:
        lead.stamp_email_opt_out()
    lead.save(force_insert=True)
    _record(lead, from_status="", by=by)
    if lead.owner is not None:  # handed to someone (the web form's round-robin, a manager)
        notify(lead.owner, Notification.Kind.LEAD_ASSIGNED, lead, by=by)
    emit("lead.created", lead)
    return lead


@transaction.atomic
def update_lead(lead: Lead, *, by: User | None, version: int | None = None, **fields) -> Lead:
    """Edit what we know about a lead, from a form loaded at ``version`` (None: as it is now).
    A converted lead is read-only.

    Raises ``crm.versions.StaleEdit``, having written nothing, if the lead was saved since.
    """
    _lock(lead)
    if lead.is_converted:
        raise LeadError(_("A converted lead cannot be changed."))
    expected = lead.version if version is None else version
    previous_owner_id = lead.owner_id
    for name, value in fields.items():
        setattr(lead, name, value)
    if "owner" in fields and fields["owner"] is not None:
        lead.team = team_for_owner(fields["owner"]) or lead.team
        fields["team"] = lead.team
    saved = list(fields)
    if "email_opt_out" in fields:
        saved += lead.stamp_email_opt_out()
    save_if_current(lead, version=expected, fields=list(dict.fromkeys(saved)))
    hand_over_pending(lead, previous_owner_id=previous_owner_id)
    figures_changed(lead)  # its source or owner counts in the lead reports
    if lead.owner_id != previous_owner_id and lead.owner is not None:
        _record(lead, from_status=lead.status, by=by, note=_assigned_to(lead.owner))
        notify(lead.owner, Notification.Kind.LEAD_ASSIGNED, lead, by=by)
    emit("lead.updated", lead)
    return lead


@transaction.atomic
def start_working(lead: Lead, *, by: User | None) -> Lead:
    _lock(lead)
    if not lead.can_start_working:
        raise LeadError(_("Only a new lead can be started."))
    _move(lead, to=Lead.Status.WORKING, by=by)
    emit("lead.updated", lead)
    return lead


@transaction.atomic
def qualify(lead: Lead, *, by: User | None) -> Lead:
    _lock(lead)
    if not lead.can_qualify:
        raise LeadError(_("Only a new or worked lead can be qualified."))
    _move(lead, to=Lead.Status.QUALIFIED, by=by)
    emit("lead.qualified", lead)
    return lead


@transaction.atomic
def disqualify(lead: Lead, *, reason: DisqualifyReason, note: str = "", by: User | None) -> Lead:
    _lock(lead)
    if not lead.can_disqualify:
        raise LeadError(_("Only an open lead can be disqualified."))
    lead.disqualify_reason = reason
    lead.disqualify_note = note
    _move(
        lead,
        to=Lead.Status.DISQUALIFIED,
        by=by,
        note=f"{reason}: {note}" if note else str(reason),
        extra=["disqualify_reason", "disqualify_note"],
    )
    emit("lead.disqualified", lead)
    return lead


@transaction.atomic
def reopen(lead: Lead, *, by: User | None) -> Lead:
    _lock(lead)
    if not lead.can_reopen:
        raise LeadError(_("Only a disqualified lead can be reopened."))
    lead.disqualify_reason = None
    lead.disqualify_note = ""
    _move(lead, to=Lead.Status.NEW, by=by, extra=["disqualify_reason", "disqualify_note"])
    emit("lead.updated", lead)
    return lead


@transaction.atomic
def assign(leads: Iterable[Lead], *, owner: User, by: User | None) -> int:
    """Hand leads (as read under lock by the caller) to ``owner`` and their team. Converted
    leads keep their owner. One UPDATE moves them all and raises each one's version, so that
    an edit form opened on any of them before is refused."""
    team = team_for_owner(owner)
    moving = [lead for lead in leads if not lead.is_converted and lead.owner_id != owner.pk]
    if not moving:
        return 0
    previous_owner_ids = {}
    for lead in moving:
        figures_changed(lead)  # the figures it leaves
        previous_owner_ids[lead.pk] = lead.owner_id
    now = timezone.now()
    values = {"owner": owner, "updated_at": now, "version": F("version") + 1}
    if team is not None:  # else each keeps its own
        values["team"] = team
    Lead.objects.filter(pk__in=previous_owner_ids).update(**values)
    if team is not None:  # the owner's change is in each lead's status history
        record_update(moving, by=by, team=team)
    for lead in moving:
        lead.owner, lead.updated_at, lead.version = owner, now, lead.version + 1
        if team is not None:
            lead.team = team
    hand_over_pending_all(moving, previous_owner_ids=previous_owner_ids)
    _record_all(
        moving,
        from_statuses={lead.pk: lead.status for lead in moving},
        by=by,
        note=_assigned_to(owner),
    )
    notify_all(Notification.Kind.LEAD_ASSIGNED, [(owner, lead) for lead in moving], by=by)
    emit_all("lead.updated", moving)
    return len(moving)


@transaction.atomic
def disqualify_many(
    leads: Iterable[Lead], *, reason: DisqualifyReason, note: str = "", by: User | None
) -> int:
    """Disqualify every open lead among ``leads`` (as read under lock by the caller); the others
    are left alone. One UPDATE disqualifies them all and raises each one's version, so that an
    edit form opened on any of them before is refused."""
    closing = [lead for lead in leads if lead.can_disqualify]
    if not closing:
        return 0
    for lead in closing:
        figures_changed(lead)  # the figures it leaves
    now = timezone.now()
    Lead.objects.filter(pk__in=[lead.pk for lead in closing]).update(
        status=Lead.Status.DISQUALIFIED,
        disqualify_reason=reason,
        disqualify_note=note,
        updated_at=now,
        version=F("version") + 1,
    )
    history_note = f"{reason}: {note}" if note else str(reason)
    from_statuses = {lead.pk: lead.status for lead in closing}
    for lead in closing:
        lead.status, lead.disqualify_reason, lead.disqualify_note = (
            Lead.Status.DISQUALIFIED,
            reason,
            note,
        )
        lead.updated_at, lead.version = now, lead.version + 1
    _record_all(closing, from_statuses=from_statuses, by=by, note=history_note)
    emit_all("lead.disqualified", closing)
    return len(closing)


@transaction.atomic
def create_web_lead(
    *, name: str, email: str, phone: str, company_name: str, message: str, team_name: str
) -> Lead:
    """A lead from the public form, handed round-robin to the active members of ``team_name``;
    or, when a lead of that team still being worked already has this email, that lead, with
    the message on its timeline: someone writing twice is one enquiry, not two leads.

    The team row is locked so that two submissions at the same moment (on any app server)
    take turns instead of both going to the same person, or both making a lead.
    """
    team = None
    if team_name:
        team = Team.objects.select_for_update().filter(name=team_name).first()
    if repeated := _open_web_lead(email, team):
        _add_web_message(repeated, name=name, phone=phone, company=company_name, text=message)
        return repeated
    first_name, _sep, last_name = name.strip().rpartition(" ")
    if not last_name:
        first_name, last_name = "", first_name
    owner = None
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
        phone=stored_phone_or_as_is(phone),
        company_name=company_name,
        notes=message,
        source=source_for("web"),
        owner=owner,
        team=team,
    )


def _open_web_lead(email: str, team: Team | None) -> Lead | None:
    """The newest lead of ``team`` still being worked that has this email, if any."""
    if not email:
        return None
    return (
        Lead.objects.promising()
        .filter(email_normalized=normalize_email(email), team=team)
        .select_related("owner")
        .order_by("-created_at", "-pk")
        .first()
    )


def _add_web_message(lead: Lead, *, name: str, phone: str, company: str, text: str) -> None:
    """What the form said this time, as a note on the lead: who wrote and how to reach them
    (which may have changed), then the message."""
    details = [
        f"{label}: {value}"
        for label, value in ((_("Name"), name), (_("Phone"), phone), (_("Company"), company))
        if value
    ]
    body = "\n".join([*details, "", text] if text else details)
    receive_message(record=lead, subject=_("Wrote again through the web form"), text=body)


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
                    # A free mail address (gmail.com) tells nothing of the company's domain.
                    email_domain=company_domain(locked.email),
                    # A lead's website saved before websites were checked is left behind
                    # (the convert screen says so).
                    website=locked.website if is_web_address(locked.website) else "",
                    owner=owner,
                    team_id=team_id,
                )
            if contact is None:
                contact = Contact.objects.create(
                    first_name=locked.first_name,
                    last_name=locked.last_name,
                    email=locked.email,
                    # A lead saved before numbers were checked may hold one in any form.
                    phone=stored_phone_or_as_is(locked.phone),
                    job_title=locked.job_title,
                    # Whoever asked not to be emailed as a lead is not emailed as a contact.
                    email_opt_out=locked.email_opt_out,
                    email_opt_out_at=locked.email_opt_out_at,
                    company=company,
                    owner=owner,
                    team_id=team_id,
                )
            elif locked.email_opt_out and not contact.email_opt_out:
                record_update([contact], by=by, email_opt_out=True)
                contact.email_opt_out = True
                contact.stamp_email_opt_out()
                Contact.objects.filter(pk=contact.pk).update(
                    email_opt_out=True,
                    email_opt_out_at=contact.email_opt_out_at,
                    updated_at=timezone.now(),
                    version=F("version") + 1,
                )
            if company is not None and contact.company_id is None:
                record_update([contact], by=by, company=company)
                contact.company = company
                # Its version rises, so that an edit form opened on it before is refused.
                Contact.objects.filter(pk=contact.pk).update(
                    company=company, updated_at=timezone.now(), version=F("version") + 1
                )
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
    emit("lead.converted", locked)
    return conversion
