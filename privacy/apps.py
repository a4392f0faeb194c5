"""Personal data: everything held about one person (a lead or a contact) exported as a ZIP, and
the person erased on request, the figures of their deals kept."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")
