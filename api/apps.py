"""The REST API (v1) over the same services and the same ``visible_to`` as the pages.
Owns personal API tokens, their authentication, rate limits, idempotency keys and the schema."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")
