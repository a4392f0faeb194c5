from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    """Erasing cannot be undone: the user types the person's name to say they mean it."""

    name = forms.CharField(label=_("Type the person's name to confirm"), max_length=250)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_name(self):
        typed = " ".join(self.cleaned_data["name"].split())
        if typed.casefold() != " ".join(self.person.full_name.split()).casefold():
            raise forms.ValidationError(
                _("This is not the person's name as the record holds it."), code="mismatch"
            )
        return typed
