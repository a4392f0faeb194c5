from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx request asking for a region of the page (a boosted one wants the whole page)."""
    return bool(request.htmx) and not request.htmx.boosted


def render_region(
    request: HtmxHttpRequest, template: str, region: str, context: dict
) -> HttpResponse:
    """The page, or only its ``region`` (a ``{% partialdef %}``) for an htmx request asking for
    a region. The same URL answers both, so caches are told to keep them apart."""
    if wants_fragment(request):
        template = f"{template}#{region}"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
