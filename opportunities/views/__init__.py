"""Views of the opportunities app: the board, the list and export, and each deal's pages."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from crm.security_log import visible_or_404
from opportunities.models import Opportunity


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def is_fragment(request) -> bool:
    """An HTMX request that wants a piece of the page, not a boosted navigation."""
    return bool(request.htmx and not request.htmx.boosted)


def back_to(request, fallback: str) -> str:
    """The ``next`` URL of the request when it is one of ours, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def visible_opportunity(request, pk: int) -> Opportunity:
    queryset = Opportunity.objects.select_related("stage", "pipeline")
    return visible_or_404(request, queryset, pk=pk)
