"""Views of the settings pages, for managers and admins: to anyone else every one of them is a
404 (``managers_only``), as another team's record is."""

import functools

from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from infra.htmx import HtmxHttpRequest, render_region
from setup.lists import LISTS


def sets_up(user) -> bool:
    """Whether ``user`` may open the settings pages."""
    return user.is_manager or user.is_admin


def managers_only(view):
    """Refuses ``view`` to whoever may not set up the app, whatever the method."""

    @functools.wraps(view)
    def wrapped(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
        if not sets_up(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def page(
    request: HtmxHttpRequest,
    template: str,
    section: str,
    context: dict,
    *,
    region: str | None = None,
) -> HttpResponse:
    """A settings page, its own entry of the settings' menu marked (``section``); with a
    ``region`` (a ``{% partialdef %}`` of it), only that region for htmx."""
    context = {"section": section, "reference_lists": LISTS.values(), **context}
    if region is not None:
        return render_region(request, template, region, context)
    return render(request, template, context)


def form_page(
    request: HtmxHttpRequest, form: Form, *, section: str, title: str, cancel_url: str
) -> HttpResponse:
    """The page of one settings form, with its errors beside the fields once posted."""
    context = {"form": form, "title": title, "cancel_url": cancel_url}
    return page(request, "setup/form.html", section, context)


@managers_only
@require_GET
def index(request: HtmxHttpRequest) -> HttpResponse:
    return page(request, "setup/index.html", "index", {})
