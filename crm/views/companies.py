from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.filters import CompanyFilter
from crm.forms import CompanyForm
from crm.models import Company
from crm.security_log import visible_or_404
from crm.views.records import record_create, record_delete, record_detail, record_edit, record_list
from infra.htmx import HtmxHttpRequest
from infra.ids import parse_id
from infra.rendering import SearchSelect


@require_GET
def company_list(request: HtmxHttpRequest) -> HttpResponse:
    companies = (
        Company.objects.visible_to(request.user)
        .select_related("owner")
        .with_contact_count()
        .order_by("name", "pk")
    )
    return record_list(request, companies, CompanyFilter, "crm/company_list.html", "company-list")


@require_GET
def company_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    company = visible_or_404(request, Company.objects.select_related("owner", "team"), pk=pk)
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
    return record_detail(
        request,
        company,
        "crm/company_detail.html",
        contacts=contacts,
        opportunities=opportunities,
    )


@require_http_methods(["GET", "POST"])
def company_create(request: HtmxHttpRequest) -> HttpResponse:
    return record_create(
        request, CompanyForm, "crm/company_form.html", _("Company “%(name)s” was created.")
    )


@require_http_methods(["GET", "POST"])
def company_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    company = visible_or_404(request, Company.objects, pk=pk)
    return record_edit(
        request, company, CompanyForm, "crm/company_form.html", _("Company “%(name)s” was saved.")
    )


@require_http_methods(["GET", "POST"])
def company_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    company = visible_or_404(request, Company.objects, pk=pk)
    return record_delete(request, company, _("Company “%(name)s” was deleted."), "crm:company_list")


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
