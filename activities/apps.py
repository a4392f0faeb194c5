"""Activities: the calls, meetings, emails, tasks and notes about any record, their next-step
rule and badges, and the activity panel every record's page holds (its part of the timeline)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from activities.timeline import activity_history, field_changes
        from crm.timeline import register_source

        register_source(activity_history)
        register_source(field_changes)
