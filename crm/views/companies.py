from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.filters import CompanyFilter
from crm.forms import CompanyForm
from crm.models import Company
from crm.services import delete_record, protected_links
from crm.timeline import build_timeline, history_limit
from infra.htmx import HtmxHttpRequest, wants_fragment
from infra.ids import parse_id
from infra.pagination import CappedPaginator
from infra.rendering import SearchSelect

PER_PAGE = 25


@require_GET
def company_list(request: HtmxHttpRequest) -> HttpResponse:
    companies = (
        Company.objects.visible_to(request.user)
        .select_related("owner")
        .with_contact_count()
        .order_by("name", "pk")
    )
    filters = CompanyFilter(request.GET, queryset=companies, request=request)
    page_obj = CappedPaginator(filters.qs, PER_PAGE, ids_first=True).get_page(
        request.GET.get("page")
    )
    context = {"filter": filters, "page_obj": page_obj, "sort": request.GET.get("sort", "")}
    template = "crm/company_list.html"
    if wants_fragment(request):
        template += "#company-list"
    response = render(request, template, context)
    # The same URL answers with a page or a fragment: a browser cache must not mix them up.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def company_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(
        Company.objects.visible_to(request.user).select_related("owner", "team"), pk=pk
    )
    contacts = (
        company.contacts.visible_to(request.user)
        .select_related("owner")
        .order_by("last_name", "first_name", "pk")
    )
    opportunities = (
        company.opportunities.visible_to(request.user)
        .select_related("stage", "owner", "contact")
        .order_by("expected_close_date", "pk")
    )
    conversions = company.lead_conversions.select_related("lead", "converted_by").order_by(
        "-converted_at"
    )
    return render(
        request,
        "crm/company_detail.html",
        {
            "company": company,
            "activity_timeline": build_timeline(
                company, user=request.user, limit=history_limit(request)
            ),
            "contacts": contacts,
            "opportunities": opportunities,
            "conversions": conversions,
        },
    )


@require_http_methods(["GET", "POST"])
def company_create(request: HtmxHttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        company = form.save()
        messages.success(request, _("Company “%(name)s” was created.") % {"name": company})
        return redirect(company)
    return render(request, "crm/company_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def company_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.visible_to(request.user), pk=pk)
    form = CompanyForm(request.POST or None, instance=company, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Company “%(name)s” was saved.") % {"name": company})
        return redirect(company)
    return render(request, "crm/company_form.html", {"form": form, "company": company})


@require_http_methods(["GET", "POST"])
def company_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        blockers = delete_record(company)
        if not blockers:
            messages.success(request, _("Company “%(name)s” was deleted.") % {"name": company})
            return redirect("crm:company_list")
    else:
        blockers = protected_links(company)
    return render(
        request,
        "crm/confirm_delete.html",
        {
            "object": company,
            "blockers": blockers,
            "cancel_url": company.get_absolute_url(),
            "delete_url": request.path,
        },
    )


@require_GET
def company_options(request: HtmxHttpRequest) -> HttpResponse:
    """The companies whose name matches what is typed in a company picker, as ``<option>``s
    (see ``infra.rendering.SearchSelect``): the user's companies only. The one chosen in the
    select comes first so that it stays chosen; the one the select holds above them
    (``shown``) is left out."""
    shown = {pk for pk in map(parse_id, request.GET.get("shown", "").split(",")) if pk}
    selected = parse_id(request.GET.get(request.GET.get("name", "")))
    companies = (
        Company.objects.visible_to(request.user).exclude(pk__in=shown).order_by("name", "pk")
    )
    matches = list(companies.named_like(request.GET.get("q", ""))[: SearchSelect.limit])
    if selected and all(match.pk != selected for match in matches):
        matches[:0] = companies.filter(pk=selected)
    context = {
        "companies": matches,
        "selected": str(selected or ""),
        "query": request.GET.get("q", ""),
        "others": bool(shown),  # the chosen company, above, may match: say "no other"
        # The picker's status line, told how many were found (an id: letters, digits, - and _).
        "status": "".join(
            c for c in request.GET.get("status", "") if c.isascii() and (c.isalnum() or c in "-_")
        ),
    }
    return render(request, "crm/includes/company_options.html", context)
