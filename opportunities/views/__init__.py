"""Views of the opportunities app: the board, the list and export, and each deal's pages."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from crm.security_log import visible_or_404
from infra.redirects import our_path
from opportunities.models import Opportunity


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def is_fragment(request) -> bool:
    """An HTMX request that wants a piece of the page, not a boosted navigation."""
    return bool(request.htmx and not request.htmx.boosted)


def back_to(request, fallback: str) -> str:
    """The ``next`` URL of the request when it is one of ours, else ``fallback``."""
    return our_path(request, request.POST.get("next") or request.GET.get("next") or "", fallback)


def visible_opportunity(request, pk: int) -> Opportunity:
    queryset = Opportunity.objects.select_related("stage", "pipeline")
    return visible_or_404(request, queryset, pk=pk)
