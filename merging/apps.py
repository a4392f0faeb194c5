"""Merging duplicates: two companies, contacts or leads become one, with everything that hung
off either; the address of the one merged away leads to the one that stayed."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MergingConfig(AppConfig):
    name = "merging"
    verbose_name = _("Merges")
