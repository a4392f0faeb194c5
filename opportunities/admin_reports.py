"""Admin for the dated exchange rates the reports convert amounts with.

Imported from ``opportunities/admin.py`` (``from opportunities import admin_reports  # noqa``),
so that it is registered once, when the admin discovers the app.
"""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.utils.translation import gettext_lazy as _

from crm.admin_figures import RetiresFigures
from crm.models import ExchangeRate


class ExchangeRateForm(ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "rate", "valid_from"]

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if currency == settings.BASE_CURRENCY:
            raise ValidationError(
                _("%(currency)s is the base currency: its rate is always 1."),
                params={"currency": currency},
            )
        if currency not in settings.CURRENCIES:
            raise ValidationError(
                _("Unknown currency. Use one of: %(currencies)s."),
                params={"currencies": ", ".join(settings.CURRENCIES)},
            )
        return currency


@admin.register(ExchangeRate)
class ExchangeRateAdmin(RetiresFigures, admin.ModelAdmin):
    """Every amount in the reports is converted at these rates."""

    form = ExchangeRateForm
    list_display = ["currency", "rate", "valid_from"]
    list_filter = ["currency"]
    date_hierarchy = "valid_from"
    ordering = ["currency", "-valid_from"]
