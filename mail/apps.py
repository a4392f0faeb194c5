"""Email out: a rep writes to the people of a lead, contact, company or deal, from a template
or not; the worker sends it after commit, and the record's timeline shows it as an Email
activity with its delivery."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "mail"
    verbose_name = _("Email")

    def ready(self):
        from activities.timeline import register_details
        from mail.timeline import attach_emails

        register_details(attach_emails)
