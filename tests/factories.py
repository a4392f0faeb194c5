"""One plain factory per model: sensible defaults, every field overridable by keyword."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from crm.models import Company, Contact, Team, User
from leads.models import DisqualifyReason, Lead, LeadSource, WebSubmission
from opportunities.models import LostReason, Opportunity, Pipeline, Stage

_sequence = itertools.count(1)


def _next() -> int:
    return next(_sequence)


def _make_named(model, prefix: str, fields: dict):
    """A record known by its name alone: "<prefix> <number>" unless the test names it."""
    fields.setdefault("name", f"{prefix} {_next()}")
    return model.objects.create(**fields)


def make_team(**fields) -> Team:
    return _make_named(Team, "Team", fields)


def make_user(*, password: str = "secret-pass-123", **fields) -> User:
    number = _next()
    fields.setdefault("username", f"user{number}")
    fields.setdefault("first_name", f"User{number}")
    fields.setdefault("last_name", "Example")
    fields.setdefault("email", f"user{number}@example.com")
    user = User(**fields)
    user.set_password(password)
    user.save()
    return user


def _team_of_owner(fields: dict) -> dict:
    """An owned record is filed under its owner's team unless the test says otherwise."""
    if "owner" in fields and "team" not in fields and fields["owner"] is not None:
        fields["team"] = fields["owner"].team
    return fields


def make_company(**fields) -> Company:
    number = _next()
    fields.setdefault("name", f"Company {number}")
    return Company.objects.create(**_team_of_owner(fields))


def _make_person(model, first_name: str, last_name: str, name: str | None, fields: dict):
    """A contact or a lead: ``name`` ("Jane Doe") gives the first and last name in one go."""
    if name is not None:
        fields["first_name"], _, fields["last_name"] = name.partition(" ")
    fields.setdefault("first_name", first_name)
    fields.setdefault("last_name", f"{last_name}{_next()}")
    return model.objects.create(**_team_of_owner(fields))


def make_contact(*, name: str | None = None, **fields) -> Contact:
    return _make_person(Contact, "Pat", "Person", name, fields)


def make_lead(*, name: str | None = None, **fields) -> Lead:
    return _make_person(Lead, "Lee", "Lead", name, fields)


def make_lead_source(**fields) -> LeadSource:
    number = _next()
    fields.setdefault("name", f"Source {number}")
    fields.setdefault("code", f"source-{number}")
    return LeadSource.objects.create(**fields)


def make_web_submission(**fields) -> WebSubmission:
    """A web-form message held for review (sent too fast, unless told)."""
    number = _next()
    fields.setdefault("name", f"Sender {number}")
    fields.setdefault("email", f"sender{number}@example.com")
    fields.setdefault("reason", WebSubmission.Reason.TOO_FAST)
    fields.setdefault("address", "203.0.113.9")
    return WebSubmission.objects.create(**fields)


def make_pipeline(*, stages=("Qualification", "Proposal", "Negotiation"), **fields) -> Pipeline:
    """A pipeline with its stages; probabilities rise evenly from stage to stage."""
    fields.setdefault("name", f"Pipeline {_next()}")
    pipeline = Pipeline.objects.create(**fields)
    for order, name in enumerate(stages, start=1):
        Stage.objects.create(
            pipeline=pipeline, name=name, order=order, probability=order * 90 // len(stages)
        )
    return pipeline


def make_stage(**fields) -> Stage:
    fields.setdefault("name", f"Stage {_next()}")
    if "pipeline" not in fields:
        fields["pipeline"] = make_pipeline(stages=())
    return Stage.objects.create(**fields)


def make_disqualify_reason(**fields) -> DisqualifyReason:
    return _make_named(DisqualifyReason, "Reason", fields)


def make_lost_reason(**fields) -> LostReason:
    return _make_named(LostReason, "Lost reason", fields)


def make_opportunity(**fields) -> Opportunity:
    number = _next()
    fields.setdefault("name", f"Deal {number}")
    if "stage" not in fields:
        pipeline = fields.get("pipeline") or make_pipeline()
        fields["stage"] = pipeline.stages.order_by("order").first()
    fields.setdefault("pipeline", fields["stage"].pipeline)
    fields.setdefault("probability", fields["stage"].probability)
    fields.setdefault("amount", Decimal("1000.00"))
    fields.setdefault("expected_close_date", timezone.localdate() + datetime.timedelta(days=30))
    return Opportunity.objects.create(**_team_of_owner(fields))


def fill_stages(stages, *, per_stage: int, **fields) -> None:
    """``per_stage`` new deals in each of the stages, for the tests whose query count must
    not grow with the deals on a board. ``fields`` go to every deal."""
    for stage in stages:
        for _ in range(per_stage):
            make_opportunity(stage=stage, **fields)


def make_activity(**fields):
    """A pending task due today about a new deal, unless told otherwise."""
    from activities.models import SUBJECT_FIELDS, Activity

    fields.setdefault("subject", f"Follow up {_next()}")
    fields.setdefault("kind", Activity.Kind.TASK)
    if not any(name in fields for name in SUBJECT_FIELDS):
        fields["opportunity"] = make_opportunity(owner=fields.get("owner"))
    if "due_date" not in fields and fields["kind"] != Activity.Kind.NOTE:
        fields["due_date"] = timezone.localdate()
    return Activity.objects.create(**_team_of_owner(fields))


def make_email_template(**fields):
    from mail.models import EmailTemplate

    fields.setdefault("name", f"Template {_next()}")
    fields.setdefault("subject", "About {{ opportunity.name }}")
    fields.setdefault("body", "<p>Hello {{ contact.first_name }},</p><p>Shall we talk?</p>")
    return EmailTemplate.objects.create(**fields)


def make_outbound_email(**fields):
    """An email written to a contact of a new deal, as its Email activity, queued."""
    from activities.models import Activity
    from mail.models import OutboundEmail

    if "activity" not in fields:
        owner = fields.get("sent_by")
        fields["activity"] = make_activity(
            kind=Activity.Kind.EMAIL, owner=owner, done_at=timezone.now(), done_by=owner
        )
    fields.setdefault("subject", fields["activity"].subject)
    fields.setdefault("body_text", "Hello")
    fields.setdefault(
        "to", [{"kind": "contact", "id": 0, "name": "Pat Person", "email": "pat@example.com"}]
    )
    fields.setdefault("message_id", f"{_next()}.test@example.com")
    return OutboundEmail.objects.create(**fields)
