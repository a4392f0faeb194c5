"""Reports: the dashboard, pipeline, forecast, team performance, lead funnel, win/loss,
velocity and slipped deals, in the base currency, each exportable. Reads leads and deals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
