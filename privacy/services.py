"""Export and erase one person: a lead or a contact, with the records that are the same person.

A person is the record asked for and those a conversion ties to it: a contact and the leads
converted into it, or a converted lead, the contact it became and that contact's other leads.
Erasing one of them erases them all, since the name left on the others would still name it.

Erasure anonymises in place (nothing is deleted, so the deals and the reports keep their
figures): names become "Erased", the other personal fields empty; the activities about the
person and their status changes lose their text; their deals keep every amount, stage and
change, and only lose the person's name where the deal's name holds it (and a company named
after the person at conversion takes "Erased" as its name); merge records and
security events naming the person are scrubbed, and the emails written to them lose the
person's address and their text; the webhook events already written for them
have their personal fields replaced. The erasure itself is recorded in the security log.
"""

import io
import json
import re
import zipfile
from collections.abc import Callable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from activities.models import Activity
from audit.models import FieldChange
from crm.matching import company_name_key
from crm.models import Company, Contact, SecurityEvent, TrashBatch, User
from crm.security_log import Kind, record
from infra.events import emit
from leads.models import Lead, LeadConversion, LeadStatusChange
from mail.models import OutboundEmail
from merging.models import MergedRecord
from opportunities.models import Opportunity

ERASED = "Erased"
# The fields that say who a person is; the names become ERASED, the others empty.
NAME_FIELDS = ("first_name", "last_name")
PERSONAL_FIELDS = ("email", "phone", "job_title", "notes")
LEAD_FIELDS = ("website", "disqualify_note")
# An activity's own text.
ACTIVITY_TEXT = ("subject", "notes", "outcome")

Person = Lead | Contact


def may_handle(user: User) -> bool:
    """Exporting and erasing a person are for the managers of the teams that see them and the
    admins (within ``visible_to``); reps ask them."""
    return user.is_admin or user.is_manager


def people_of(person: Person) -> tuple[list[Lead], list[Contact]]:
    """The leads and contacts that are this same person (see the module's docstring)."""
    if isinstance(person, Contact):
        contacts = [person]
        asked = Q(pk__in=[])
    else:
        contacts = list(Contact.objects.filter(lead_conversions__lead=person))
        asked = Q(pk=person.pk)
    converted = Q(conversion__contact__in=[contact.pk for contact in contacts])
    leads = list(Lead.objects.filter(asked | converted).order_by("pk"))
    return leads, contacts


def _fields(row: models.Model, *, skip=()) -> dict:
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.attname not in skip
    }


# The trash holds data too: what is in it is exported and erased with the rest (a restore must
# not bring a name back), so these read ``with_trash``.


def _activities(*, leads, contacts) -> models.QuerySet:
    return Activity.with_trash.filter(
        Q(lead__in=[lead.pk for lead in leads]) | Q(contact__in=[c.pk for c in contacts])
    )


def _deals(contacts) -> models.QuerySet:
    return Opportunity.with_trash.filter(contact__in=[c.pk for c in contacts])


def _merges(*, leads, contacts) -> models.QuerySet:
    return MergedRecord.objects.filter(
        Q(model="leads.Lead", survivor_pk__in=[lead.pk for lead in leads])
        | Q(model="crm.Contact", survivor_pk__in=[c.pk for c in contacts])
    )


def _field_changes(*, leads, contacts, activities=None) -> models.QuerySet:
    """The recorded changes of the person's records and of the activities about them."""
    if activities is None:
        activities = _activities(leads=leads, contacts=contacts)
    return FieldChange.objects.filter(
        pk__in=FieldChange.objects.of_any(Lead, [lead.pk for lead in leads])
        .values("pk")
        .union(
            FieldChange.objects.of_any(Contact, [c.pk for c in contacts]).values("pk"),
            FieldChange.objects.of_any(Activity, activities.values("pk")).values("pk"),
            all=True,
        )
    )


def export_person(person: Person) -> bytes:
    """A ZIP holding ``person.json``: the person's records and their fields, the activities
    about them, their status changes, their deals with each deal's changes, the conversions
    and the merges that name them. Dates in ISO 8601. A constant number of queries."""
    leads, contacts = people_of(person)
    deals = list(_deals(contacts).prefetch_related("changes"))
    held = {
        "exported_at": timezone.now(),
        "leads": [_fields(lead) for lead in leads],
        "contacts": [_fields(contact) for contact in contacts],
        "activities": [
            _fields(activity) for activity in _activities(leads=leads, contacts=contacts)
        ],
        "lead_history": [
            _fields(change)
            for change in LeadStatusChange.objects.filter(lead__in=[lead.pk for lead in leads])
        ],
        "deals": [
            {**_fields(deal), "changes": [_fields(change) for change in deal.changes.all()]}
            for deal in deals
        ],
        "conversions": [
            _fields(conversion)
            for conversion in LeadConversion.objects.filter(lead__in=[lead.pk for lead in leads])
        ],
        "merges": [_fields(merge) for merge in _merges(leads=leads, contacts=contacts)],
        "emails": [_fields(email) for email in _emails_to([*leads, *contacts])[0]],
        "field_changes": [
            {**_fields(change, skip={"content_type_id"}), "record": change.content_type.model}
            for change in _field_changes(leads=leads, contacts=contacts).select_related(
                "content_type"
            )
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "person.json", json.dumps(held, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
    return buffer.getvalue()


def _name_pattern(people) -> re.Pattern | None:
    """The names the person went by (full names first), to find them in free text."""
    names = set()
    for person in people:
        names.update({person.full_name, person.first_name, person.last_name, person.email})
    names = sorted((name for name in names if len(name) > 1), key=len, reverse=True)
    if not names:
        return None
    return re.compile("|".join(rf"\b{re.escape(name)}\b" for name in names), re.IGNORECASE)


def _without_names(text: str, pattern: re.Pattern | None) -> str:
    return pattern.sub(ERASED, text) if pattern and text else text


@transaction.atomic
def erase_person(person: Person, *, by: User | None, request=None) -> list[Person]:
    """Anonymise the person and everything that names them, all or nothing (see the module's
    docstring); the records erased. Irreversible."""
    leads, contacts = people_of(person)
    people = [*leads, *contacts]
    pattern = _name_pattern(people)
    now = timezone.now()

    for lead in leads:
        Lead.objects.filter(pk=lead.pk).update(
            **dict.fromkeys(NAME_FIELDS, ERASED),
            **dict.fromkeys(PERSONAL_FIELDS + LEAD_FIELDS, ""),
            email_opt_out=True,
            email_opt_out_at=lead.email_opt_out_at or now,
            updated_at=now,
            version=models.F("version") + 1,
        )
    Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(
        **dict.fromkeys(NAME_FIELDS, ERASED),
        **dict.fromkeys(PERSONAL_FIELDS, ""),
        email_opt_out=True,
        updated_at=now,
        version=models.F("version") + 1,
    )
    Contact.objects.filter(pk__in=[c.pk for c in contacts], email_opt_out_at=None).update(
        email_opt_out_at=now
    )
    LeadStatusChange.objects.filter(lead__in=[lead.pk for lead in leads]).exclude(note="").update(
        note=ERASED
    )
    activities = _activities(leads=leads, contacts=contacts)
    # Their fields' history holds what they were: it goes, with that of their activities and
    # of their deals' activities (whose texts may name them).
    deal_activities = Activity.with_trash.filter(opportunity__contact__in=[c.pk for c in contacts])
    _field_changes(leads=leads, contacts=contacts, activities=activities).delete()
    FieldChange.objects.of_any(Activity, deal_activities.values("pk")).delete()
    erased_activities = activities.update(subject=ERASED, notes="")
    activities.exclude(outcome="").update(outcome=ERASED)

    # The deals keep their figures; only the person's name leaves their names and activities.
    for deal in _deals(contacts).only("pk", "name"):
        if (name := _without_names(deal.name, pattern)) != deal.name:
            Opportunity.with_trash.filter(pk=deal.pk).update(
                name=name[:200], version=models.F("version") + 1
            )
    for activity in deal_activities.only(*ACTIVITY_TEXT):
        text = {name: _without_names(getattr(activity, name), pattern) for name in ACTIVITY_TEXT}
        if any(text[name] != getattr(activity, name) for name in ACTIVITY_TEXT):
            Activity.with_trash.filter(pk=activity.pk).update(**text)
    _relabel_trash(_deals(contacts), activities, deal_activities)
    # Deal changes (OpportunityChange) hold stages, amounts, dates and owners: kept as they are.

    # A conversion without a company name names the company after the person: that name goes
    # too (a company's own name, "Quimby & Sons", is the company's and stays).
    full_names = {p.full_name for p in people if p.full_name}
    named_companies = Company.objects.filter(
        Q(pk__in=[c.company_id for c in contacts if c.company_id])
        | Q(lead_conversions__lead__in=[lead.pk for lead in leads]),
        name__in=full_names,
    )
    FieldChange.objects.of_any(Company, named_companies.values("pk")).filter(
        Q(old_value__in=full_names) | Q(new_value__in=full_names)
    ).delete()
    named_companies.update(
        name=ERASED, name_key=company_name_key(ERASED), version=models.F("version") + 1
    )
    Lead.objects.filter(pk__in=[lead.pk for lead in leads], company_name__in=full_names).update(
        company_name=ERASED
    )

    _scrub_emails(people)
    _merges(leads=leads, contacts=contacts).update(name=ERASED)
    for model, rows in ((Lead, leads), (Contact, contacts)):
        pks = [row.pk for row in rows]
        SecurityEvent.objects.about(model, pks).forget_target_names(name=f"{ERASED} {ERASED}")
    _scrub_webhook_events(leads=leads, contacts=contacts)

    erased = [
        *Lead.objects.filter(pk__in=[lead.pk for lead in leads]),
        *Contact.objects.filter(pk__in=[c.pk for c in contacts]),
    ]
    for row in erased:
        emit(f"{row._meta.model_name}.updated", row)
        record(
            Kind.PERSONAL_DATA_ERASED,
            request=request,
            actor=by,
            target=row,
            activities=erased_activities,
        )
    return erased


def _emails_to(people: list[Person]) -> tuple[list[OutboundEmail], Callable[[dict], bool]]:
    """The emails written to the person (found by their address or name among the recipients),
    and the test of whether a recipient is the person."""
    keys = {(person._meta.model_name, person.pk) for person in people}
    addresses = {person.email.lower() for person in people if person.email}
    names = {person.full_name for person in people if person.full_name}
    found = Q(pk__in=[])
    for text in addresses | names:
        found |= Q(to__icontains=text) | Q(cc__icontains=text)

    def names_them(recipient: dict) -> bool:
        return (
            (recipient["kind"], recipient["id"]) in keys
            or recipient["email"].lower() in addresses
            or recipient["name"] in names
        )

    emails = [
        email
        for email in OutboundEmail.objects.filter(found)
        if any(names_them(recipient) for recipient in [*email.to, *email.cc])
    ]
    return emails, names_them


def _scrub_emails(people: list[Person]) -> None:
    """The emails written to the person lose the person's name and address there, and their
    text, as their activity does, with the history of its fields."""
    emails, names_them = _emails_to(people)

    def scrubbed(recipients: list[dict]) -> list[dict]:
        return [
            {**recipient, "name": ERASED, "email": ""} if names_them(recipient) else recipient
            for recipient in recipients
        ]

    for email in emails:
        OutboundEmail.objects.filter(pk=email.pk).update(
            to=scrubbed(email.to), cc=scrubbed(email.cc), subject=ERASED, body_html="", body_text=""
        )
        Activity.with_trash.filter(pk=email.activity_id).update(subject=ERASED, notes="")
    FieldChange.objects.of_any(Activity, [email.activity_id for email in emails]).delete()


def _relabel_trash(*rows: models.QuerySet) -> None:
    """A deal or an activity of the person that is in the trash is listed there under its
    name as it was deleted: under its erased one now."""
    for queryset in rows:
        model = queryset.model
        root_type = ContentType.objects.get_for_model(model)
        for row in queryset.filter(deleted_at__isnull=False):
            TrashBatch.objects.filter(root_type=root_type, root_id=row.pk).update(
                label=str(row)[:200]
            )


def _scrub_webhook_events(*, leads, contacts) -> None:
    """The webhook events already written for the person carry their fields as they were: those
    fields are erased there too (an app above this one; read by name)."""
    if not apps.is_installed("webhooks"):
        return
    Event = apps.get_model("webhooks", "Event")
    personal = (*NAME_FIELDS, *PERSONAL_FIELDS, *LEAD_FIELDS)
    rows = Event.objects.filter(
        Q(record_type="lead", record_id__in=[lead.pk for lead in leads])
        | Q(record_type="contact", record_id__in=[c.pk for c in contacts])
    )
    for event in rows.only("payload"):
        payload = event.payload
        data = payload.get("data", payload) if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            continue
        for name in personal:
            if name in data and data[name]:
                data[name] = ERASED if name in NAME_FIELDS else ""
        Event.objects.filter(pk=event.pk).update(payload=payload)
