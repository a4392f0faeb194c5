"""Search: the top bar's search over leads, contacts, companies and deals, and its results page.
Owns the database's accent- and case-folding function (``infra.folding``) every search uses."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from infra.folding import register_fold

        # Before any connection opens (ready() runs first), so every SQLite connection has it.
        connection_created.connect(register_fold, dispatch_uid="search_fold")
