from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.filters import ContactFilter
from crm.forms import ContactForm
from crm.models import Company, Contact
from crm.services import delete_record, protected_links
from crm.timeline import build_timeline, history_limit
from infra.htmx import HtmxHttpRequest, wants_fragment
from infra.ids import parse_id
from infra.pagination import CappedPaginator

PER_PAGE = 25


@require_GET
def contact_list(request: HtmxHttpRequest) -> HttpResponse:
    contacts = (
        Contact.objects.visible_to(request.user)
        .select_related("owner", "company")
        .order_by("last_name", "first_name", "pk")
    )
    filters = ContactFilter(request.GET, queryset=contacts, request=request)
    page_obj = CappedPaginator(filters.qs, PER_PAGE, ids_first=True).get_page(
        request.GET.get("page")
    )
    context = {"filter": filters, "page_obj": page_obj, "sort": request.GET.get("sort", "")}
    template = "crm/contact_list.html"
    if wants_fragment(request):
        template += "#contact-list"
    response = render(request, template, context)
    # The same URL answers with a page or a fragment: a browser cache must not mix them up.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def contact_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("owner", "team", "company"),
        pk=pk,
    )
    # The company's name is part of the contact; a link to it only if this user may open it.
    company_visible = (
        contact.company_id is not None
        and Company.objects.visible_to(request.user).filter(pk=contact.company_id).exists()
    )
    opportunities = (
        contact.opportunities.visible_to(request.user)
        .select_related("stage", "owner", "company")
        .order_by("expected_close_date", "pk")
    )
    conversions = contact.lead_conversions.select_related("lead", "converted_by").order_by(
        "-converted_at"
    )
    return render(
        request,
        "crm/contact_detail.html",
        {
            "contact": contact,
            "activity_timeline": build_timeline(
                contact, user=request.user, limit=history_limit(request)
            ),
            "company_visible": company_visible,
            "opportunities": opportunities,
            "conversions": conversions,
        },
    )


@require_http_methods(["GET", "POST"])
def contact_create(request: HtmxHttpRequest) -> HttpResponse:
    initial = {}
    # "Add contact" on a company's page preselects that company.
    if parse_id(company_id := request.GET.get("company")) is not None:
        initial["company"] = company_id
    form = ContactForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        contact = form.save()
        messages.success(request, _("Contact “%(name)s” was created.") % {"name": contact})
        return redirect(contact)
    return render(request, "crm/contact_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def contact_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=pk)
    form = ContactForm(request.POST or None, instance=contact, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Contact “%(name)s” was saved.") % {"name": contact})
        return redirect(contact)
    return render(request, "crm/contact_form.html", {"form": form, "contact": contact})


@require_http_methods(["GET", "POST"])
def contact_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        blockers = delete_record(contact)
        if not blockers:
            messages.success(request, _("Contact “%(name)s” was deleted.") % {"name": contact})
            return redirect("crm:contact_list")
    else:
        blockers = protected_links(contact)
    return render(
        request,
        "crm/confirm_delete.html",
        {
            "object": contact,
            "blockers": blockers,
            "cancel_url": contact.get_absolute_url(),
            "delete_url": request.path,
        },
    )
