"""Forecasting: the quotas managers set per rep and per team for a month or a quarter, and
how far along the period is (its pace). The reports measure attainment against them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastingConfig(AppConfig):
    name = "forecasting"
    verbose_name = _("Forecasting")
