from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import User
from opportunities.models import Stage


def name_form(model: type[models.Model]) -> type[forms.ModelForm]:
    """The form naming a pipeline or an entry of a reference list: its name, which must be
    free (the model says so)."""
    return forms.modelform_factory(model, fields=["name"])


class StageForm(forms.ModelForm):
    """A stage of ``instance.pipeline``, new or edited; its place is changed on the list."""

    class Meta:
        model = Stage
        fields = ["name", "probability", "forecast_category", "stale_after_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["probability"].widget.attrs.update(min="0", max="100")
        self.fields["probability"].help_text = _(
            "In percent. Open deals at this stage take it, unless their probability was set "
            "by hand."
        )
        self.fields["stale_after_days"].widget.attrs["min"] = "0"

    def clean_name(self):
        # The pipeline is not a field of the form, so Django leaves the unique name per
        # pipeline unchecked: it is checked here (whatever the case) rather than fail on save.
        name = self.cleaned_data["name"]
        stages = Stage.objects.filter(pipeline=self.instance.pipeline, name__iexact=name)
        if stages.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This pipeline has a stage of that name already."))
        return name

    def changes(self) -> dict:
        """The cleaned values, as the services take them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MoveDealsForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Move them to"), queryset=Stage.objects.none())

    def __init__(self, *args, stage: Stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = Stage.objects.filter(pipeline=stage.pipeline_id).exclude(
            pk=stage.pk
        )


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.without_team(),
        help_text=_("Active reps and managers who are in no team."),
    )
