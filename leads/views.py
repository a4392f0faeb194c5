import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import (
    HttpResponseClientRedirect,
    HttpResponseClientRefresh,
    reswap,
    retarget,
)
from django_htmx.middleware import HtmxDetails

from crm.matching import email_domain, normalize_domain
from crm.models import Company, Contact
from crm.services import team_for_owner
from crm.timeline import build_timeline, history_limit
from infra.login_lock import client_address
from infra.pagination import CappedPaginator
from leads import importing, services
from leads.filters import LeadFilter
from leads.forms import (
    BulkForm,
    ConvertForm,
    DisqualifyForm,
    ImportMappingForm,
    ImportUploadForm,
    LeadForm,
    WebLeadForm,
)
from leads.models import Lead, LeadConversion, LeadImport

PAGE_SIZE = 25


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _partial(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def record_url(record) -> str:
    """The page of a contact, company or opportunity.

    Those pages belong to other parts of the app; should one not be routed (yet), its
    conventional path is used so that a conversion never fails on a missing page.
    """
    try:
        return record.get_absolute_url()
    except NoReverseMatch:
        prefix = {"opportunity": "opportunities", "company": "companies"}.get(
            record._meta.model_name, f"{record._meta.model_name}s"
        )
        return f"/{prefix}/{record.pk}/"


def _visible_leads(request: HtmxHttpRequest):
    return Lead.objects.visible_to(request.user)


# --- the list -----------------------------------------------------------------------------


SORTABLE = ("name", "company", "status", "created")


def _sort_links(request: HttpRequest) -> dict[str, str]:
    """For each sortable column, the list's URL sorted by it (a second click reverses)."""
    current = request.GET.get("sort", "")
    links = {}
    for column in SORTABLE:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{column}" if current == column else column
        links[column] = f"?{query.urlencode()}"
    return links


@require_GET
def lead_list(request: HtmxHttpRequest) -> HttpResponse:
    leads = _visible_leads(request).select_related("owner", "team", "source")
    lead_filter = LeadFilter(request.GET, queryset=leads, user=request.user)
    page = CappedPaginator(lead_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_bulk = request.user.is_manager or request.user.is_admin
    context = {
        "sort_links": _sort_links(request),
        "filter": lead_filter,
        "page_obj": page,
        "leads": page.object_list,
        "can_bulk": can_bulk,
        "bulk_form": BulkForm(user=request.user) if can_bulk else None,
        "can_import": can_bulk,
    }
    template = "leads/lead_list.html"
    if _partial(request):
        template += "#lead-table"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
def bulk_action(request: HtmxHttpRequest) -> HttpResponse:
    """Assign or disqualify the checked leads. Managers and admins only."""
    if not (request.user.is_manager or request.user.is_admin):
        raise Http404
    form = BulkForm(request.POST, user=request.user)
    if form.is_valid():
        with transaction.atomic():
            # Locked, so that a rep's status change at the same moment is not overwritten.
            leads = list(form.cleaned_data["leads"].select_for_update(of=("self",)))
            if form.cleaned_data["action"] == BulkForm.ASSIGN:
                owner = form.cleaned_data["owner"]
                count = services.assign(leads, owner=owner, by=request.user)
                message = ngettext("%(count)s lead assigned.", "%(count)s leads assigned.", count)
                messages.success(request, message % {"count": count})
            else:
                reason = form.cleaned_data["reason"]
                count = services.disqualify_many(leads, reason=reason, by=request.user)
                message = ngettext(
                    "%(count)s lead disqualified.", "%(count)s leads disqualified.", count
                )
                messages.success(request, message % {"count": count})
    else:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": " ".join(errors)})
    if request.htmx:
        return HttpResponseClientRefresh()
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/leads/"):
        next_url = reverse("leads:list")
    return redirect(next_url)


# --- one lead ------------------------------------------------------------------------------


def _detail_context(request: HtmxHttpRequest, lead: Lead) -> dict:
    user = request.user
    limit = history_limit(request)
    conversion = (
        LeadConversion.objects.select_related("contact", "company", "opportunity")
        .filter(lead=lead)
        .first()
    )
    duplicate_leads = duplicate_contacts = duplicate_companies = []
    if not lead.is_converted:
        duplicate_leads = list(
            Lead.objects.visible_to(user)
            .matching(email=lead.email, phone=lead.phone)
            .exclude(pk=lead.pk)
            .select_related("owner")[:10]
        )
        duplicate_contacts = list(
            Contact.objects.visible_to(user)
            .matching(email=lead.email, phone=lead.phone)
            .select_related("company")[:10]
        )
        domain = email_domain(lead.email) or normalize_domain(lead.website)
        duplicate_companies = list(Company.objects.visible_to(user).matching(domain=domain)[:10])
    return {
        "lead": lead,
        "object": lead,
        "conversion": conversion,
        "history": lead.status_changes.select_related("changed_by")[: limit and limit + 1],
        "history_size": limit,
        "duplicate_leads": duplicate_leads,
        "duplicate_contacts": duplicate_contacts,
        "duplicate_companies": duplicate_companies,
        # Built only if the page shows it (fragments of the page do not).
        "activity_timeline": SimpleLazyObject(lambda: build_timeline(lead, user=user, limit=limit)),
    }


def _get_lead(request: HtmxHttpRequest, pk: int) -> Lead:
    return get_object_or_404(
        _visible_leads(request).select_related("owner", "team", "source", "disqualify_reason"),
        pk=pk,
    )


@require_GET
def lead_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    lead = _get_lead(request, pk)
    return render(request, "leads/lead_detail.html", _detail_context(request, lead))


@require_http_methods(["GET", "POST"])
def lead_create(request: HtmxHttpRequest) -> HttpResponse:
    form = LeadForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        if fields["owner"] is None:
            # An unowned lead belongs to a team, or nobody but admins would ever see it.
            fields["team"] = request.user.team or request.user.managed_teams.first()
        lead = services.create_lead(by=request.user, **fields)
        messages.success(request, _("Lead %(name)s was added.") % {"name": lead})
        return redirect(lead)
    return render(request, "leads/lead_form.html", {"form": form, "lead": None})


@require_http_methods(["GET", "POST"])
def lead_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    lead = _get_lead(request, pk)
    if lead.is_converted:
        messages.warning(request, _("A converted lead is kept as it was and cannot be edited."))
        return redirect(lead)
    form = LeadForm(
        request.POST if request.method == "POST" else None, instance=lead, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if changed:
            services.update_lead(lead, by=request.user, **changed)
        messages.success(request, _("Lead %(name)s was saved.") % {"name": lead})
        return redirect(lead)
    return render(request, "leads/lead_form.html", {"form": form, "lead": lead})


STATUS_ACTIONS = {
    "start_working": services.start_working,
    "qualify": services.qualify,
    "reopen": services.reopen,
}


def _after_status_change(request: HtmxHttpRequest, lead: Lead) -> HttpResponse:
    """The updated list row or detail status card, whichever the request came from; from the
    disqualify form's own page (opened from the list), the lead's page with its message."""
    own_page = reverse("leads:disqualify", args=[lead.pk])
    if request.htmx and urlsplit(request.htmx.current_url or "").path == own_page:
        return HttpResponseClientRedirect(lead.get_absolute_url())
    if request.htmx and request.htmx.target in (
        "lead-status",
        "lead-status-actions",
        "disqualify-form",
    ):
        response = render(
            request, "leads/lead_detail.html#lead-status", _detail_context(request, lead)
        )
        return reswap(retarget(response, "#lead-status"), "outerHTML")
    if request.htmx:
        can_bulk = request.user.is_manager or request.user.is_admin
        return render(
            request,
            "leads/lead_list.html#lead-row-changed",
            {"lead": lead, "can_bulk": can_bulk},
        )
    return redirect(lead)


@require_POST
def change_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    lead = _get_lead(request, pk)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            action(lead, by=request.user)
            messages.success(
                request,
                _("%(name)s is now %(status)s.")
                % {"name": lead, "status": lead.get_status_display().lower()},
            )
        except services.LeadError as error:
            messages.error(request, str(error))
    return _after_status_change(request, lead)


@require_http_methods(["GET", "POST"])
def disqualify(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    lead = _get_lead(request, pk)
    if not lead.can_disqualify:
        messages.error(request, _("Only an open lead can be disqualified."))
        return _after_status_change(request, lead)
    form = DisqualifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.disqualify(
            lead,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, _("%(name)s was disqualified.") % {"name": lead})
        return _after_status_change(request, lead)
    template = "leads/lead_disqualify.html"
    if _partial(request):
        template += "#disqualify-form"
    response = render(request, template, {"lead": lead, "form": form})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def convert(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Qualify and convert in one screen; a second submit lands on the first conversion."""
    lead = _get_lead(request, pk)
    if lead.is_converted:
        conversion = LeadConversion.objects.select_related("opportunity", "contact").get(lead=lead)
        messages.info(request, _("This lead was already converted."))
        return redirect(record_url(conversion.opportunity or conversion.contact))
    if not lead.can_convert:
        messages.error(request, _("Reopen this lead before converting it."))
        return redirect(lead)
    user = request.user
    contacts = list(
        Contact.objects.visible_to(user)
        .matching(email=lead.email, phone=lead.phone)
        .select_related("company")[:10]
    )
    domain = email_domain(lead.email) or normalize_domain(lead.website)
    companies = list(
        Company.objects.visible_to(user).matching(name=lead.company_name, domain=domain)[:10]
    )
    form = ConvertForm(
        request.POST if request.method == "POST" else None,
        lead=lead,
        user=user,
        contacts=contacts,
        companies=companies,
        suggested_name=services.suggested_opportunity_name(
            lead, companies[0] if companies else None
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversion = services.convert_lead(lead, by=user, **form.service_arguments())
        except services.LeadError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s was converted.") % {"name": lead})
            return redirect(record_url(conversion.opportunity or conversion.contact))
    return render(
        request,
        "leads/lead_convert.html",
        {"lead": lead, "form": form, "contacts": contacts, "companies": companies},
    )


# --- the public web form -------------------------------------------------------------------


def _over_rate_limit(request: HttpRequest) -> bool:
    """Count this submission against its address; True once past the limit for the window.

    ``cache.add`` then ``cache.incr`` are atomic on Redis, so every app server shares the count.
    """
    window = settings.WEB_LEADS_RATE_WINDOW
    key = f"leads:web-form:{(client_address(request) or 'unknown')}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count > settings.WEB_LEADS_RATE_LIMIT


@login_not_required
@require_http_methods(["GET", "POST"])
def web_form(request: HttpRequest) -> HttpResponse:
    """The public form a company links from its website. Spam gets the same thank-you page.

    The thank-you page is this URL with ``?sent=1``, so the form is the app's one public page.
    """
    if request.method == "GET" and "sent" in request.GET:
        return render(request, "leads/web_thanks.html")
    thanks = f"{reverse('leads:web_form')}?sent=1"
    form = WebLeadForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if _over_rate_limit(request):
            form.is_valid()  # keep what they typed, shown with the reason
            form.add_error(None, _("Too many messages from your address. Please try again later."))
            status = 429
        elif form.is_spam():
            return redirect(thanks)
        elif form.is_valid():
            data = form.cleaned_data
            services.create_web_lead(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                company_name=data["company"],
                message=data["message"],
                team_name=settings.WEB_LEADS_TEAM,
            )
            return redirect(thanks)
    return render(request, "leads/web_form.html", {"form": form}, status=status)


# --- CSV import ----------------------------------------------------------------------------


def _imports(request: HtmxHttpRequest):
    return LeadImport.objects.visible_to(request.user)


@require_http_methods(["GET", "POST"])
def import_upload(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_manager or user.is_admin):
        raise Http404
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    if request.method == "POST" and form.is_valid():
        lead_import = LeadImport.objects.create(
            created_by=user,
            owner=user,
            team=user.team or user.managed_teams.first(),
            file_name=form.cleaned_data["file"].name[:255],
            content=form.text,
            headers=form.headers,
            mapping=importing.guess_mapping(form.headers),
            total=form.rows,
        )
        return redirect(lead_import)
    recent = _imports(request).defer("content", "rejected_csv")[:10]
    return render(request, "leads/import_upload.html", {"form": form, "imports": recent})


@require_GET
def import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    lead_import = get_object_or_404(_imports(request), pk=pk)
    context = {"import": lead_import}
    if lead_import.status == LeadImport.Status.UPLOADED:
        context["form"] = ImportMappingForm(lead_import=lead_import, user=request.user)
        context["rows"] = importing.preview(lead_import)
    template = "leads/import_detail.html"
    if _partial(request):
        template += "#import-progress"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
def import_map(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Save the column mapping; with the "import" button, also start the import."""
    lead_import = get_object_or_404(_imports(request), pk=pk)
    if lead_import.status != LeadImport.Status.UPLOADED:
        return redirect(lead_import)
    form = ImportMappingForm(request.POST, lead_import=lead_import, user=request.user)
    if not form.is_valid():
        context = {"import": lead_import, "form": form, "rows": importing.preview(lead_import)}
        return render(request, "leads/import_detail.html", context)
    owner = form.cleaned_data["owner"]
    lead_import.mapping = form.mapping()
    lead_import.owner = owner
    lead_import.team = team_for_owner(owner) or team_for_owner(request.user)
    lead_import.skip_duplicates = form.cleaned_data["skip_duplicates"]
    lead_import.save(update_fields=["mapping", "owner", "team", "skip_duplicates"])
    if "start" in request.POST:
        importing.start_import(lead_import, by=request.user)
    return redirect(lead_import)


@require_GET
def import_rejected(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    lead_import = get_object_or_404(_imports(request).exclude(rejected_csv=""), pk=pk)
    response = HttpResponse(lead_import.rejected_csv, content_type="text/csv; charset=utf-8")
    name = lead_import.file_name.rsplit(".", 1)[0] or "leads"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}-rejected.csv"
    )
    return response
