from django import forms
from django.utils.translation import gettext_lazy as _

from mail import placeholders
from mail.models import EmailTemplate
from mail.recipients import Candidate

PLACEHOLDER_HELP = _("Placeholders: %(names)s.")


def _placeholder_help() -> str:
    return PLACEHOLDER_HELP % {
        "names": ", ".join(f"{{{{ {name} }}}}" for name in placeholders.NAMES)
    }


def _checked(value: str) -> str:
    """The text, if its placeholders are all known (a clear error beside the field if not)."""
    placeholders.check(value)
    return value


class EmailForm(forms.Form):
    """An email from a record's page. Only the people who may be emailed are offered; the
    others are named beside the choices, with the reason (``refused``)."""

    template = forms.ModelChoiceField(
        EmailTemplate.objects.all(), required=False, widget=forms.HiddenInput
    )
    to = forms.MultipleChoiceField(label=_("To"), widget=forms.CheckboxSelectMultiple)
    cc = forms.MultipleChoiceField(
        label=_("Cc"), widget=forms.CheckboxSelectMultiple, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text, or HTML (links, lists and simple formatting are kept)."),
    )

    def __init__(self, *args, candidates: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {candidate.key: candidate for candidate in candidates}
        offered = [(c.key, c.label) for c in candidates if c.may_email]
        self.fields["to"].choices = offered
        self.fields["cc"].choices = offered
        self.refused = [candidate for candidate in candidates if not candidate.may_email]
        self.fields["body"].help_text = f"{self.fields['body'].help_text} {_placeholder_help()}"

    def clean_subject(self) -> str:
        return _checked(self.cleaned_data["subject"])

    def clean_body(self) -> str:
        return _checked(self.cleaned_data["body"])

    def recipients(self, field: str) -> list[Candidate]:
        return [self.candidates[key] for key in self.cleaned_data.get(field, [])]


class EmailTemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["name", "language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _placeholder_help()

    def clean_subject(self) -> str:
        return _checked(self.cleaned_data["subject"])

    def clean_body(self) -> str:
        return _checked(self.cleaned_data["body"])
