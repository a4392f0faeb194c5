from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.filters import ContactFilter
from crm.forms import ContactForm
from crm.models import Company, Contact
from crm.security_log import visible_or_404
from crm.views.records import record_create, record_delete, record_detail, record_edit, record_list
from infra.htmx import HtmxHttpRequest
from infra.ids import parse_id


@require_GET
def contact_list(request: HtmxHttpRequest) -> HttpResponse:
    contacts = (
        Contact.objects.visible_to(request.user)
        .select_related("owner", "company")
        .order_by("last_name", "first_name", "pk")
    )
    return record_list(request, contacts, ContactFilter, "crm/contact_list.html", "contact-list")


@require_GET
def contact_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = visible_or_404(
        request, Contact.objects.select_related("owner", "team", "company"), pk=pk
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
    return record_detail(
        request,
        contact,
        "crm/contact_detail.html",
        company_visible=company_visible,
        opportunities=opportunities,
    )


@require_http_methods(["GET", "POST"])
def contact_create(request: HtmxHttpRequest) -> HttpResponse:
    initial = {}
    # "Add contact" on a company's page preselects that company.
    if parse_id(company_id := request.GET.get("company")) is not None:
        initial["company"] = company_id
    return record_create(
        request,
        ContactForm,
        "crm/contact_form.html",
        _("Contact “%(name)s” was created."),
        initial=initial,
    )


@require_http_methods(["GET", "POST"])
def contact_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = visible_or_404(request, Contact.objects, pk=pk)
    return record_edit(
        request, contact, ContactForm, "crm/contact_form.html", _("Contact “%(name)s” was saved.")
    )


@require_http_methods(["GET", "POST"])
def contact_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = visible_or_404(request, Contact.objects, pk=pk)
    return record_delete(request, contact, _("Contact “%(name)s” was deleted."), "crm:contact_list")
