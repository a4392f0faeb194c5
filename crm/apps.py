from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("CRM core")

    def ready(self):
        # Connects the session clock to every login, including ones made before the first
        # request is handled (tests' force_login, the admin's "log in as").
        from crm import checks, middleware  # noqa: F401
