from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx request asking for a region of the page (a boosted one wants the whole page)."""
    return bool(request.htmx) and not request.htmx.boosted
