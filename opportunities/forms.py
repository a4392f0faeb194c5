from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crm.forms import company_picker
from crm.models import Company, Contact, User
from infra.ids import parse_id
from opportunities.models import LostReason, Opportunity, Stage
from opportunities.services import UNDOABLE


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.pipeline} · {obj.name}"


def _send_loaded_values(form: forms.ModelForm) -> None:
    """Render each field's loaded value in a hidden input beside it (Django's
    ``show_hidden_initial``), so that ``changed_data`` names what this user changed since
    loading the form rather than what someone else saved meanwhile: a refused save then lists
    only the user's own edits."""
    for name, field in form.fields.items():
        if name != "version" and not field.disabled:
            field.show_hidden_initial = True


class OpportunityForm(forms.ModelForm):
    """Create and edit a deal. The view saves it through the services, never ``form.save()``.

    ``version`` is the version the form was loaded at; a save against an older one is refused.
    """

    currency = forms.ChoiceField(label=_("Currency"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Opportunity
        fields = [
            "name",
            "company",
            "contact",
            "pipeline",
            "stage",
            "amount",
            "currency",
            "probability",
            "expected_close_date",
            "forecast_category",
            "owner",
            "notes",
        ]
        field_classes = {"stage": StageChoiceField}
        widgets = {
            "company": company_picker(),
            "expected_close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in settings.CURRENCIES]
        self.fields["currency"].initial = settings.BASE_CURRENCY
        # The deal's own company and contact stay on offer even when another rep owns them:
        # otherwise the form shows them blank and saving the deal would unlink them.
        companies = Company.objects.visible_to(user)
        contacts = Contact.objects.visible_to(user)
        if self.instance.company_id:
            companies = companies | Company.objects.filter(pk=self.instance.company_id)
        if self.instance.contact_id:
            contacts = contacts | Contact.objects.filter(pk=self.instance.contact_id)
        self.fields["company"].queryset = companies
        # Only the chosen company's people: the list stays short however many contacts exist.
        company_id = self["company"].value()
        self.fields["contact"].queryset = (
            contacts.filter(company_id=company_id)
            if parse_id(company_id) is not None
            else contacts.none()
        )
        self.fields["contact"].help_text = _("One of the company's contacts.")
        self.fields["stage"].queryset = Stage.objects.select_related("pipeline")
        self.fields["owner"].queryset = User.objects.assignable_by(user)
        self.fields["owner"].required = True
        self.fields["probability"].required = False
        self.fields["probability"].help_text = _("Leave empty to use the stage's probability.")
        self.fields["amount"].widget.attrs["min"] = "0"
        self.fields["probability"].widget.attrs.update(min="0", max="100")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            _send_loaded_values(self)
            if not self.instance.is_open:
                self.fields["stage"].disabled = True
                self.fields["pipeline"].disabled = True
        else:
            self.fields["owner"].initial = user.pk
            del self.fields["version"]
            # Empty, as the help text says: a stage chosen later then brings its own probability,
            # instead of the model's default being kept as if typed by hand.
            if "probability" not in (kwargs.get("initial") or {}):
                self.initial["probability"] = None

    def clean(self):
        cleaned = super().clean()
        pipeline, stage = cleaned.get("pipeline"), cleaned.get("stage")
        if pipeline and stage and stage.pipeline_id != pipeline.pk:
            self.add_error(
                "stage", _("Choose a stage of the %(pipeline)s pipeline.") % {"pipeline": pipeline}
            )
        return cleaned

    def changes(self) -> dict:
        """The cleaned values the services take, without the version."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and not self.fields[name].disabled
        }


class QuickEditForm(forms.ModelForm):
    """The few values a rep updates most, edited in place on the detail page."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Opportunity
        fields = ["stage", "amount", "probability", "expected_close_date"]
        widgets = {
            "expected_close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = self.instance.pipeline.stages.all()
        self.fields["stage"].disabled = not self.instance.is_open
        self.fields["version"].initial = self.instance.version
        self.fields["amount"].widget.attrs["min"] = "0"
        self.fields["probability"].widget.attrs.update(min="0", max="100")
        _send_loaded_values(self)

    def changes(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and not self.fields[name].disabled
        }


class LostForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Why was it lost?"), queryset=LostReason.objects.offered()
    )
    competitor = forms.CharField(label=_("Competitor"), max_length=200, required=False)


class MoveForm(forms.Form):
    stage = forms.ModelChoiceField(queryset=Stage.objects.none())

    def __init__(self, *args, opportunity: Opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(pipeline_id=opportunity.pipeline_id)


class UndoForm(forms.Form):
    """A toast's Undo: which transition, and the deal's version it left (``infra.toasts``)."""

    action = forms.ChoiceField(choices=[(action, action) for action in UNDOABLE])
    version = forms.IntegerField(min_value=1)
