from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.addresses import RefusedAddress, check_url
from webhooks.models import EVENTS, Endpoint


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EVENTS, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except RefusedAddress as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return url
