"""Leads: the people who may buy, their qualification and conversion into a contact, company
and deal, the CSV import and the public web form."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("Leads")

    def ready(self):
        from crm.timeline import register_source
        from leads.timeline import lead_changes

        register_source(lead_changes)
