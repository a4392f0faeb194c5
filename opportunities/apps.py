"""Opportunities: the deals, their pipelines and stages, the board, and every change of a deal
(its history, its stays in each stage); a deal's page and its card on the board."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self):
        from activities.slots import register_slot
        from crm.timeline import register_source
        from opportunities.slots import CARD
        from opportunities.timeline import deal_changes

        register_source(deal_changes)
        register_slot(CARD)
