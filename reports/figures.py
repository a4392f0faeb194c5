"""The reports' figures as the pages and the API both ask for them: kept in the cache until the
next change that can alter them (see ``infra.report_cache``), so that a report opened on a page
and read through the API is computed once and says the same."""

from collections.abc import Callable
from typing import Any

from infra.report_cache import cached_figures
from reports.filters import ReportScope


def figures_for(name: str, scope: ReportScope, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept under the report's ``name`` for this scope: at scale some take the
    database longer than a page may. A scope at a fixed moment (a test's) is never kept."""
    key = scope.cache_key()
    if key is None:
        return compute()
    return cached_figures(name, key, compute, user=scope.user)
