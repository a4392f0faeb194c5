"""Outbound webhooks: admins register endpoints; every change the services make is written to
an outbox in the same transaction and delivered, signed, by the worker after commit."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from infra import events
        from webhooks.outbox import record_event

        events.listen(record_event)
