from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """How many units of the base currency one unit of ``currency`` was worth from ``valid_from``
    until the next rate for that currency. Managed by admins."""

    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(_("rate to base currency"), max_digits=18, decimal_places=8)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="one_rate_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate} ({self.valid_from})"
