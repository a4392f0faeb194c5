"""The reference lists (lead sources, lost and disqualification reasons), each at its own word
(``setup.lists``): the list, adding, renaming, retiring and offering again."""

import copy

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.models.reference import ReferenceItem
from infra.htmx import HtmxHttpRequest, wants_fragment
from setup import services
from setup.forms import name_form
from setup.lists import LISTS, ReferenceList
from setup.views import form_page, managers_only, page


def _reference(kind: str) -> ReferenceList:
    if kind not in LISTS:
        raise Http404
    return LISTS[kind]


def _item(kind: str, item_pk: int) -> tuple[ReferenceList, ReferenceItem]:
    reference = _reference(kind)
    return reference, get_object_or_404(reference.model, pk=item_pk)


def _list_url(reference: ReferenceList) -> str:
    return reverse("setup:item_list", args=[reference.slug])


@managers_only
@require_GET
def item_list(request: HtmxHttpRequest, kind: str) -> HttpResponse:
    """Every entry, those offered first; a retired one stays on the records that have it."""
    reference = _reference(kind)
    items = reference.model.objects.order_by("-is_active", "name")
    context = {"reference": reference, "items": items}
    return page(request, "setup/item_list.html", kind, context)


@managers_only
@require_http_methods(["GET", "POST"])
def item_create(request: HtmxHttpRequest, kind: str) -> HttpResponse:
    reference = _reference(kind)
    form = name_form(reference.model)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = services.add_reference_item(reference.model, name=form.cleaned_data["name"])
        messages.success(request, _("“%(name)s” was added.") % {"name": item})
        return redirect(_list_url(reference))
    title = str(reference.add_label)
    return form_page(request, form, section=kind, title=title, cancel_url=_list_url(reference))


@managers_only
@require_http_methods(["GET", "POST"])
def item_edit(request: HtmxHttpRequest, kind: str, item_pk: int) -> HttpResponse:
    reference, item = _item(kind, item_pk)
    form = name_form(reference.model)(request.POST or None, instance=copy.copy(item))
    if request.method == "POST" and form.is_valid():
        old_name = item.name
        services.rename(item, name=form.cleaned_data["name"])
        messages.success(
            request, _("“%(old)s” is now “%(new)s”.") % {"old": old_name, "new": item.name}
        )
        return redirect(_list_url(reference))
    title = _("Rename %(name)s") % {"name": item}
    return form_page(request, form, section=kind, title=title, cancel_url=_list_url(reference))


@managers_only
@require_POST
def item_active(request: HtmxHttpRequest, kind: str, item_pk: int) -> HttpResponse:
    """Retire an entry (``active`` empty) or offer it again (``active=1``)."""
    reference, item = _item(kind, item_pk)
    active = request.POST.get("active") == "1"
    services.set_active(item, active=active)
    if active:
        messages.success(request, _("“%(name)s” is offered again.") % {"name": item})
    else:
        messages.success(
            request,
            _("“%(name)s” is no longer offered; the records that have it keep it.")
            % {"name": item},
        )
    if wants_fragment(request):
        context = {"reference": reference, "item": item}
        return page(request, "setup/item_list.html", kind, context, region="item-row")
    return redirect(_list_url(reference))
