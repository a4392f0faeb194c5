"""The home page: My day (a rep's activities, deals and leads that need them; a manager's team
by rep), its daily digest by email, and the demo data of the whole product (seed_demo)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("My day")

    def ready(self):
        from activities.slots import register_slot
        from home.slots import DAY

        register_slot(DAY)
