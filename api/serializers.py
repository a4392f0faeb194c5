"""What the API shows of each record and what it takes. Input is checked by the page's own
form (``run_form``), so that the API refuses what the page refuses, with the same messages;
the write itself is the page's service."""

import copy
import datetime

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from activities import services as activity_services
from activities.forms import LogActivityForm, NoteForm, ScheduleActivityForm
from activities.models import SUBJECT_FIELDS, SUBJECT_MODELS, Activity
from crm.forms import CompanyForm, ContactForm
from crm.models import Company, Contact, Team, User
from leads import services as lead_services
from leads.forms import LeadForm
from leads.models import DisqualifyReason, Lead, LeadSource
from opportunities import services as opportunity_services
from opportunities.forms import OpportunityForm
from opportunities.models import LostReason, Opportunity, Pipeline, Stage

NON_FIELD = "non_field_errors"


def form_errors(form: forms.BaseForm) -> dict:
    return {
        NON_FIELD if name == forms.forms.NON_FIELD_ERRORS else name: list(messages)
        for name, messages in form.errors.items()
    }


def _as_form_value(value):
    return "" if value is None else value


def run_form(form_class, data: dict, *, instance=None, version=None, fixed=None, **kwargs):
    """Validate ``data`` (what was sent) with the page's form and return the valid form.

    What was not sent is what the page's form holds when it opens: the record's own values on
    an update (a PATCH), the page's proposals on a create (the owner is the user). The form is
    loaded at ``version`` (If-Match; else the record's), and ``fixed`` values replace what was
    sent for fields only an action may change. Invalid: a 400 with the form's messages."""
    if instance is not None:
        kwargs["instance"] = copy.copy(instance)
    loaded = form_class(**kwargs)
    values = {name: _as_form_value(loaded[name].value()) for name in loaded.fields}
    values |= {name: _as_form_value(value) for name, value in data.items()}
    values |= fixed or {}
    if instance is not None and "version" in values:
        values["version"] = instance.version if version is None else version
    if instance is not None:
        kwargs["instance"] = copy.copy(instance)  # validating writes into it
    form = form_class(values, **kwargs)
    if not form.is_valid():
        raise serializers.ValidationError(form_errors(form))
    return form


class Trimmed(serializers.ModelSerializer):
    """``?fields=id,name`` shows only those fields of each record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        wanted = request.query_params.get("fields", "") if request else ""
        if wanted and request.method == "GET":
            names = {name.strip() for name in wanted.split(",")}
            for name in set(self.fields) - names:
                self.fields.pop(name)

    @property
    def user(self) -> User:
        return self.context["request"].user

    @property
    def if_match(self) -> int | None:
        return self.context.get("if_match")


OWNED = ["owner", "team", "notes", "created_at", "updated_at", "version"]
READ_ONLY = ["id", "team", "created_at", "updated_at", "version"]


def _fields(*names: str) -> list[str]:
    return list(dict.fromkeys(names))  # in order, each once


class LeadSerializer(Trimmed):
    class Meta:
        model = Lead
        # What the page's form edits, and what only the actions change.
        fields = _fields(
            "id",
            *LeadForm.Meta.fields,
            "email_opt_out_at",
            "status",
            "disqualify_reason",
            "disqualify_note",
            *OWNED,
        )
        # The status changes through the actions only, which record it in the history.
        read_only_fields = [
            *READ_ONLY,
            "email_opt_out_at",
            "status",
            "disqualify_reason",
            "disqualify_note",
        ]

    def validate(self, attrs):
        self.form = run_form(
            LeadForm,
            self.initial_data,
            instance=self.instance,
            version=self.if_match,
            user=self.user,
        )
        return attrs

    def create(self, validated_data):
        fields = dict(self.form.cleaned_data)
        if fields["owner"] is None:
            # An unowned lead belongs to a team, or nobody but admins would ever see it.
            fields["team"] = self.user.team or self.user.managed_teams.first()
        return lead_services.create_lead(by=self.user, **fields)

    def update(self, instance, validated_data):
        return lead_services.update_lead(
            instance, by=self.user, version=self.form.loaded_version, **self.form.edited()
        )


class OwnedRecordSerializer(Trimmed):
    """A company or contact: saved by its form, which files it under the owner's team and, on
    an edit, refuses to overwrite a newer version."""

    create_anyway = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text=_("Create it even though it looks like a record that already exists."),
    )
    form_class: type[forms.ModelForm]

    def validate(self, attrs):
        self.form = run_form(
            self.form_class,
            self.initial_data,
            instance=self.instance,
            version=self.if_match,
            user=self.user,
        )
        return attrs

    def create(self, validated_data):
        return self.form.save()

    def update(self, instance, validated_data):
        return self.form.save()


class CompanySerializer(OwnedRecordSerializer):
    form_class = CompanyForm

    class Meta:
        model = Company
        fields = _fields("id", *CompanyForm.Meta.fields, *OWNED, "create_anyway")
        read_only_fields = READ_ONLY


class ContactSerializer(OwnedRecordSerializer):
    form_class = ContactForm

    class Meta:
        model = Contact
        fields = _fields(
            "id", *ContactForm.Meta.fields, "email_opt_out_at", *OWNED, "create_anyway"
        )
        read_only_fields = [*READ_ONLY, "email_opt_out_at"]


class OpportunitySerializer(Trimmed):
    weighted_amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "name",
            "company",
            "contact",
            "pipeline",
            "stage",
            "status",
            "amount",
            "currency",
            "probability",
            "probability_is_manual",
            "weighted_amount",
            "forecast_category",
            "expected_close_date",
            "closed_date",
            "lost_reason",
            "competitor",
            "lead",
            *OWNED,
        ]
        # Status and, once created, stage change through the actions (move, win, lose,
        # reopen) only, which record them in the deal's history.
        read_only_fields = [
            *READ_ONLY,
            "status",
            "probability_is_manual",
            "closed_date",
            "lost_reason",
            "competitor",
            "lead",
        ]
        # The stage says which pipeline.
        extra_kwargs = {"pipeline": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("pipeline", "stage"):
                if name in fields:
                    fields[name] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def validate(self, attrs):
        data = dict(self.initial_data)
        fixed = None
        if self.instance is not None:
            fixed = {"pipeline": self.instance.pipeline_id, "stage": self.instance.stage_id}
        elif data.get("stage") and not data.get("pipeline"):
            # The stage says which pipeline: asking for both would only invite a mismatch.
            data["pipeline"] = (
                Stage.objects.filter(pk=data["stage"]).values_list("pipeline", flat=True).first()
            )
        self.form = run_form(
            OpportunityForm,
            data,
            instance=self.instance,
            version=self.if_match,
            fixed=fixed,
            user=self.user,
        )
        return attrs

    def create(self, validated_data):
        values = self.form.changes()
        stage = values.pop("stage")
        values.pop("pipeline")
        if values.get("probability") is None:
            values.pop("probability")
        else:
            values["probability_is_manual"] = values["probability"] != stage.probability
        return opportunity_services.create_opportunity(by=self.user, stage=stage, **values)

    def update(self, instance, validated_data):
        return opportunity_services.update_opportunity(
            instance,
            by=self.user,
            version=self.form.cleaned_data["version"] or instance.version,
            **self.form.changes(),
        )


class ActivitySerializer(Trimmed):
    done_on = serializers.DateField(
        write_only=True,
        required=False,
        help_text=_("For an activity already done: the day it was done (today if not given)."),
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "subject",
            "due_date",
            "due_time",
            "duration",
            "remind_minutes_before",
            "reminded_at",
            "done_at",
            "done_by",
            "outcome",
            *SUBJECT_FIELDS,
            *OWNED,
            "done_on",
        ]
        read_only_fields = [
            *READ_ONLY,
            "reminded_at",
            "done_at",
            "done_by",
            "owner",
            *SUBJECT_FIELDS,
        ]

    def validate(self, attrs):
        """One of lead, opportunity, contact or company names the record it is about, among
        those the user sees. A note takes its text from ``notes``; with a ``due_date`` the
        activity is planned, else it is logged as done."""
        given = [name for name in SUBJECT_FIELDS if self.initial_data.get(name)]
        if len(given) != 1:
            message = _("Name the one lead, opportunity, contact or company it is about.")
            raise serializers.ValidationError({NON_FIELD: [message]})
        model = apps.get_model(SUBJECT_MODELS[given[0]])
        self.record = (
            model.objects.visible_to(self.user).filter(pk=str(self.initial_data[given[0]])).first()
        )
        if self.record is None:
            raise serializers.ValidationError({given[0]: [_("No such record.")]})
        data = self.initial_data
        if data.get("kind") == Activity.Kind.NOTE:
            self.action = "note"
            self.form = run_form(NoteForm, {"text": data.get("notes", "")})
        elif data.get("due_date"):
            self.action = "schedule"
            self.form = run_form(ScheduleActivityForm, _only(data, ScheduleActivityForm))
        else:
            self.action = "log"
            self.form = run_form(LogActivityForm, _only(data, LogActivityForm))
        return attrs

    def create(self, validated_data):
        fields = self.form.cleaned_data
        if self.action == "note":
            return activity_services.add_note(record=self.record, by=self.user, text=fields["text"])
        if self.action == "schedule":
            return activity_services.schedule_activity(record=self.record, by=self.user, **fields)
        return activity_services.log_activity(record=self.record, by=self.user, **fields)


def _only(data, form_class) -> dict:
    values = {name: data[name] for name in form_class.base_fields if name in data}
    if form_class is LogActivityForm:
        values.setdefault("done_on", timezone.localdate())
    return values


# --- actions ---------------------------------------------------------------------------------


class DisqualifySerializer(serializers.Serializer):
    reason = serializers.IntegerField(help_text=_("A disqualification reason's id."))
    note = serializers.CharField(required=False, allow_blank=True)


class ConvertSerializer(serializers.Serializer):
    contact = serializers.CharField(
        required=False, help_text=_("A contact's id to link to, or “new” (the default).")
    )
    company = serializers.CharField(
        required=False, help_text=_("A company's id to link to, “new” or “none”.")
    )
    company_name = serializers.CharField(required=False, allow_blank=True)
    create_opportunity = serializers.BooleanField(required=False, default=False)
    opportunity_name = serializers.CharField(required=False, allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    stage = serializers.IntegerField(required=False)
    expected_close_date = serializers.DateField(required=False)
    owner = serializers.IntegerField(required=False)


class ConversionSerializer(serializers.Serializer):
    lead = serializers.IntegerField(source="lead_id")
    contact = serializers.IntegerField(source="contact_id")
    company = serializers.IntegerField(source="company_id", allow_null=True)
    opportunity = serializers.IntegerField(source="opportunity_id", allow_null=True)
    converted_at = serializers.DateTimeField()


class BulkAssignSerializer(serializers.Serializer):
    leads = serializers.ListField(child=serializers.IntegerField())
    owner = serializers.IntegerField()


class AssignedSerializer(serializers.Serializer):
    assigned = serializers.IntegerField()


class MoveSerializer(serializers.Serializer):
    stage = serializers.IntegerField(help_text=_("A stage of the deal's pipeline."))


class LoseSerializer(serializers.Serializer):
    reason = serializers.IntegerField(help_text=_("A lost reason's id."))
    competitor = serializers.CharField(required=False, allow_blank=True)


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(required=False, allow_blank=True)
    next_kind = serializers.ChoiceField(
        choices=[choice for choice in Activity.Kind.choices if choice[0] != Activity.Kind.NOTE],
        required=False,
    )
    next_subject = serializers.CharField(required=False, allow_blank=True)
    next_due_date = serializers.DateField(required=False)
    next_due_time = serializers.TimeField(required=False)


class CompletionSerializer(serializers.Serializer):
    activity = ActivitySerializer()
    next_activity = ActivitySerializer(allow_null=True)


def convert_defaults(lead: Lead, data: dict) -> dict:
    """What the convert screen proposes, for what the request leaves out."""
    values = dict(data)
    values.setdefault("contact", "new")
    values.setdefault("company", "new" if lead.company_name else "none")
    values.setdefault("company_name", lead.company_name)
    values.setdefault("opportunity_name", lead_services.suggested_opportunity_name(lead))
    values.setdefault("expected_close_date", timezone.localdate() + datetime.timedelta(days=30))
    return values


# --- reference lists -------------------------------------------------------------------------


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "pipeline", "name", "order", "probability", "forecast_category"]
        fields += ["stale_after_days"]


class PipelineSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Pipeline
        fields = ["id", "name", "is_default", "order", "stages"]


class LostReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = LostReason
        fields = ["id", "name", "is_active"]


class DisqualifyReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisqualifyReason
        fields = ["id", "name", "is_active"]


class LeadSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeadSource
        fields = ["id", "code", "name", "is_active"]


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "role", "team"]


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "manager"]
