"""The shared core: people and teams, companies and contacts, who sees what (scoping),
currencies, duplicate matching, the record timeline's registry, and the project's settings and
URLs. It imports no other app of the project; the apps above it stand on it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("CRM core")

    def ready(self):
        # The deployment checks, and the session clock connected to every login, including
        # ones made before the first request is handled (tests' force_login, the admin's
        # "log in as").
        # The security log listens to logins, logouts, lockouts and rights changes.
        from crm import security_receivers  # noqa: F401
        from infra import checks, middleware  # noqa: F401
