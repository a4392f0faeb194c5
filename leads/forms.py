import datetime
import hashlib
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Company, Contact, User
from crm.models.companies import is_web_address
from crm.phones import PhoneField
from crm.versions import VersionedForm
from infra.ids import RecordsField
from leads import importing
from leads.models import DisqualifyReason, Lead, LeadImport, LeadSource, WebSubmission
from opportunities.models import Stage
from opportunities.services import default_pipeline


class LeadForm(VersionedForm, forms.ModelForm):
    # The status is changed from the list and the lead's page, never here; a change made
    # meanwhile is still named when an edit is refused.
    seen_fields = ("status",)

    class Meta:
        model = Lead
        fields = [
            "first_name",
            "last_name",
            "company_name",
            "job_title",
            "email",
            "phone",
            "email_opt_out",
            "website",
            "source",
            "owner",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"phone": PhoneField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = LeadSource.objects.offered(keep=self.instance.source_id)
        self.fields["owner"].queryset = User.objects.assignable_by(user)
        if not self.instance.pk:
            self.fields["owner"].initial = user.pk


class DisqualifyForm(forms.Form):
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=DisqualifyReason.objects.offered())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkForm(forms.Form):
    """Bulk actions on the checked rows of the list (managers only)."""

    ASSIGN = "assign"
    DISQUALIFY = "disqualify"

    action = forms.ChoiceField(choices=[(ASSIGN, _("Assign")), (DISQUALIFY, _("Disqualify"))])
    leads = RecordsField(queryset=Lead.objects.none())
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=DisqualifyReason.objects.offered(),
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leads"].queryset = Lead.objects.visible_to(user)
        self.fields["owner"].queryset = User.objects.assignable_by(user)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("owner"):
            self.add_error("owner", _("Choose who gets the leads."))
        if data.get("action") == self.DISQUALIFY and not data.get("reason"):
            self.add_error("reason", _("Choose a reason."))
        return data


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.pipeline} · {obj.name}"


class ConvertForm(forms.Form):
    """Qualify and convert: link to matching records or create new ones; maybe an opportunity."""

    NEW = "new"
    NONE = "none"

    contact = forms.ChoiceField(label=_("Contact"), widget=forms.RadioSelect)
    company = forms.ChoiceField(label=_("Company"), widget=forms.RadioSelect)
    company_name = forms.CharField(label=_("New company's name"), max_length=200, required=False)
    # Most converted leads become a deal: opting out is the exception.
    create_opportunity = forms.BooleanField(
        label=_("Create an opportunity"), required=False, initial=True
    )
    opportunity_name = forms.CharField(label=_("Opportunity name"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Expected amount"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    stage = StageChoiceField(label=_("Stage"), queryset=Stage.objects.none(), required=False)
    expected_close_date = forms.DateField(
        label=_("Expected close date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    def __init__(
        self,
        *args,
        lead: Lead,
        user: User,
        contacts: list[Contact],
        companies: list[Company],
        suggested_name: str,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.contacts = {str(c.pk): c for c in contacts}
        self.companies = {str(c.pk): c for c in companies}
        # A website saved before websites were checked (``javascript:...``) is not copied
        # into a new company; the screen says so before and after.
        self.refused_website = "" if is_web_address(lead.website) else lead.website
        self.fields["contact"].choices = [
            *((pk, _("Link to %(name)s") % {"name": c}) for pk, c in self.contacts.items()),
            (self.NEW, _("Create a new contact")),
        ]
        self.fields["company"].choices = [
            *((pk, _("Link to %(name)s") % {"name": c}) for pk, c in self.companies.items()),
            (self.NEW, _("Create a new company")),
            (self.NONE, _("No company")),
        ]
        self.fields["contact"].initial = next(iter(self.contacts), self.NEW)
        self.fields["company"].initial = next(
            iter(self.companies), self.NEW if lead.company_name else self.NONE
        )
        self.fields["company_name"].initial = lead.company_name
        self.fields["opportunity_name"].initial = suggested_name
        stages = Stage.objects.select_related("pipeline").order_by(
            "pipeline__order", "pipeline__name", "order"
        )
        self.fields["stage"].queryset = stages
        # A submitted form shows what was submitted: the suggested stage is for a blank one.
        pipeline = None if self.is_bound else default_pipeline()
        if pipeline is not None:
            self.fields["stage"].initial = (
                pipeline.stages.order_by("order", "pk").values_list("pk", flat=True).first()
            )
        self.fields["expected_close_date"].initial = timezone.localdate() + datetime.timedelta(
            days=30
        )
        self.fields["owner"].queryset = User.objects.assignable_by(user)
        self.fields["owner"].initial = lead.owner_id or user.pk

    def clean(self):
        data = super().clean()
        if data.get("company") == self.NEW and not data.get("company_name"):
            self.add_error("company_name", _("Give the new company a name."))
        if data.get("create_opportunity"):
            for name in ("opportunity_name", "stage", "expected_close_date"):
                if not data.get(name):
                    self.add_error(name, _("This field is required for an opportunity."))
        return data

    def refused_website_message(self) -> str:
        return _(
            "The lead's website “%(website)s” is not a web address: the new company was "
            "created without it."
        ) % {"website": self.refused_website}

    def service_arguments(self) -> dict:
        """The form's answers as ``convert_lead`` keywords."""
        data = self.cleaned_data
        arguments = {
            "contact": self.contacts.get(data["contact"]),
            "company": self.companies.get(data["company"]),
            "create_company": data["company"] == self.NEW,
            "company_name": data.get("company_name", ""),
            "create_opportunity": bool(data.get("create_opportunity")),
        }
        if arguments["create_opportunity"]:
            arguments.update(
                opportunity_name=data["opportunity_name"],
                amount=data.get("amount") or 0,
                stage=data["stage"],
                expected_close_date=data["expected_close_date"],
                opportunity_owner=data.get("owner"),
            )
        return arguments


class WebLeadForm(forms.Form):
    """The public form. ``website`` is a honeypot hidden from people; ``started`` is a signed
    token of when the form was served and to which address, good for one message, so that
    instant, replayed and borrowed submissions can be told apart.

    ``address`` is the client's (``infra.login_lock.client_address``)."""

    SALT = "leads.web-form"
    MAX_AGE = 60 * 60 * 24

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    phone = PhoneField(label=_("Phone"), max_length=50, required=False)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, address: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.address = address
        if not self.is_bound:
            self.fields["started"].initial = self.start_token(address)

    @classmethod
    def start_token(cls, address: str, *, now: float | None = None) -> str:
        """When the form was served, to whom, and a number used once."""
        served = time.time() if now is None else now
        payload = {"t": served, "a": cls._client(address), "n": secrets.token_urlsafe(12)}
        return signing.dumps(payload, salt=cls.SALT)

    @staticmethod
    def _client(address: str) -> str:
        return hashlib.sha256(f"web-form\n{address}".encode()).hexdigest()[:16]

    def clean(self):
        data = super().clean()
        # A mistyped phone is said beside the phone, not also as a missing email.
        mistyped = {"email", "phone"} & self.errors.keys()
        if not data.get("email") and not data.get("phone") and not mistyped:
            self.add_error("email", _("Give us an email address or a phone number."))
        return data

    def spam_reason(self) -> str | None:
        """Why this looks sent by a bot (a ``WebSubmission.Reason``), or None. A filled honeypot
        outweighs the timing: a person's autofill may be quick, but it rarely fills a field
        nobody sees. Asked once per valid submission: it uses up the token."""
        Reason = WebSubmission.Reason
        if self.data.get("website"):
            return Reason.HONEYPOT
        stamp = self.data.get("started", "")
        if not stamp:
            return Reason.NO_START
        try:
            payload = signing.loads(stamp, salt=self.SALT, max_age=self.MAX_AGE)
            elapsed = time.time() - float(payload["t"])
            client, nonce = str(payload["a"]), str(payload["n"])
        except (signing.BadSignature, TypeError, ValueError, KeyError):
            return Reason.FORGED_START
        if client != self._client(self.address):
            return Reason.OTHER_CLIENT
        # Shared by every app server (the cache is Redis there): a token sends one message.
        if not cache.add(f"leads:web-form:used:{nonce}", 1, timeout=self.MAX_AGE):
            return Reason.REUSED_START
        if elapsed < settings.WEB_LEADS_MIN_FILL_SECONDS:
            return Reason.TOO_FAST
        return None


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.text, self.headers, self.rows = importing.read_upload(upload)
        except importing.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ImportMappingForm(forms.Form):
    """One select per CSV column (what it becomes), plus who gets the new leads."""

    owner = forms.ModelChoiceField(label=_("Owner of the new leads"), queryset=User.objects.none())
    skip_duplicates = forms.BooleanField(
        label=_("Skip rows whose email already belongs to a lead or contact"), required=False
    )

    def __init__(self, *args, lead_import: LeadImport, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.lead_import = lead_import
        self.fields["owner"].queryset = User.objects.assignable_by(user)
        self.fields["owner"].initial = lead_import.owner_id or user.pk
        self.fields["skip_duplicates"].initial = lead_import.skip_duplicates
        choices = [("", _("— ignore —"))] + [(k, v[0]) for k, v in importing.FIELDS.items()]
        self.column_names = []
        for index, header in enumerate(lead_import.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=lead_import.mapping.get(str(index), ""),
            )
            self.column_names.append(name)

    def column_fields(self):
        return [self[name] for name in self.column_names]

    def clean(self):
        data = super().clean()
        chosen = [data.get(name) for name in self.column_names if data.get(name)]
        for value in set(chosen):
            if chosen.count(value) > 1:
                raise forms.ValidationError(
                    _("“%(field)s” is chosen for more than one column.")
                    % {"field": importing.FIELDS[value][0]}
                )
        if "last_name" not in chosen and "full_name" not in chosen:
            raise forms.ValidationError(_("Choose the column holding the last or full name."))
        return data

    def mapping(self) -> dict[str, str]:
        return {
            str(index): self.cleaned_data[name]
            for index, name in enumerate(self.column_names)
            if self.cleaned_data.get(name)
        }
