import copy
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import (
    HttpResponseClientRedirect,
    HttpResponseClientRefresh,
    reswap,
    retarget,
)

from crm.models import Company, Contact
from crm.security_log import Kind, exported_rows, record, visible_or_404
from crm.services import team_for_owner
from crm.timeline import build_timeline, history_limit
from crm.versions import StaleEdit
from crm.views.records import record_delete
from infra.htmx import HtmxHttpRequest, render_region, wants_fragment
from infra.ids import parse_id
from infra.login_lock import client_address
from infra.pagination import CappedPaginator
from infra.rates import seconds_over
from infra.spreadsheets import BOM, CSV_CONTENT_TYPE, download, xlsx_response
from leads import importing, services, web
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
from leads.models import Lead, LeadConversion, LeadImport, WebSubmission

PAGE_SIZE = 25


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


@require_GET
def lead_list(request: HtmxHttpRequest) -> HttpResponse:
    leads = _visible_leads(request).select_related("owner", "team", "source")
    lead_filter = LeadFilter(request.GET, queryset=leads, user=request.user)
    page = CappedPaginator(lead_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_bulk = request.user.is_manager or request.user.is_admin
    context = {
        "filter": lead_filter,
        "page_obj": page,
        "leads": page.object_list,
        "can_bulk": can_bulk,
        "bulk_form": BulkForm(user=request.user) if can_bulk else None,
        "can_import": can_bulk,
    }
    if not wants_fragment(request) and _reviews_web_submissions(request.user):
        # The header's link to the held web-form messages, with their number.
        context["held_count"] = WebSubmission.objects.visible_to(request.user).held().count()
    return render_region(request, "leads/lead_list.html", "lead-table", context)


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
        duplicate_companies = list(
            Company.objects.visible_to(user).matching(domains=[lead.email, lead.website])[:10]
        )
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
    return visible_or_404(
        request,
        Lead.objects.select_related("owner", "team", "source", "disqualify_reason"),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def lead_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    lead = _get_lead(request, pk)
    return record_delete(request, lead, _("Lead “%(name)s” was deleted."), "leads:list")


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
    # The form works on a copy: validating writes into its instance, and the service takes
    # only what the user changed.
    form = LeadForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(lead),
        user=request.user,
    )
    context = {"lead": lead}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_lead(
                lead, by=request.user, version=form.loaded_version, **form.edited()
            )
        except StaleEdit as error:
            # Saved by someone else since the form was loaded: the form again, with their
            # changes beside what this user typed.
            meanwhile = form.meanwhile(error.current)
            context |= {"lead": error.current, "changed_meanwhile": meanwhile.changes}
            form = LeadForm(meanwhile.data, instance=copy.copy(error.current), user=request.user)
        except services.LeadError:
            messages.warning(request, _("A converted lead is kept as it was and cannot be edited."))
            return redirect(lead)
        else:
            messages.success(request, _("Lead %(name)s was saved.") % {"name": lead})
            return redirect(lead)
    return render(request, "leads/lead_form.html", {"form": form, **context})


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
    context = {"lead": lead, "form": form}
    return render_region(request, "leads/lead_disqualify.html", "disqualify-form", context)


@require_http_methods(["GET", "POST"])
def convert(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Qualify and convert in one screen; a second submit lands on the first conversion."""
    lead = _get_lead(request, pk)
    if lead.is_converted:
        conversion = LeadConversion.objects.select_related("opportunity", "contact").get(lead=lead)
        messages.info(request, _("This lead was already converted."))
        return redirect(record_url(conversion.opportunity or conversion.contact))
    if not lead.can_convert:
        if request.method == "GET":
            # A stale link (another tab, a bookmark) says why rather than bouncing away.
            return render(request, "leads/lead_convert.html", {"lead": lead, "form": None})
        messages.error(request, _("Reopen this lead before converting it."))
        return redirect(lead)
    user = request.user
    contacts = list(
        Contact.objects.visible_to(user)
        .matching(email=lead.email, phone=lead.phone)
        .select_related("company")[:10]
    )
    companies = list(
        Company.objects.visible_to(user).matching(
            name=lead.company_name, domains=[lead.email, lead.website]
        )[:10]
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
            if form.refused_website and form.cleaned_data["company"] == ConvertForm.NEW:
                messages.warning(request, form.refused_website_message())
            return redirect(record_url(conversion.opportunity or conversion.contact))
    return render(
        request,
        "leads/lead_convert.html",
        {"lead": lead, "form": form, "contacts": contacts, "companies": companies},
    )


# --- the public web form -------------------------------------------------------------------


def _over_rate_limit(request: HttpRequest) -> int:
    """Count this submission against its address: 0 while the address has sent no more than
    WEB_LEADS_RATE_LIMIT in the last WEB_LEADS_RATE_WINDOW seconds; past it, the seconds to wait."""
    return seconds_over(
        f"leads:web-form:{client_address(request) or 'unknown'}",
        limit=settings.WEB_LEADS_RATE_LIMIT,
        window=settings.WEB_LEADS_RATE_WINDOW,
    )


WEB_FIELDS = ("name", "email", "phone", "company", "message")


@login_not_required
@require_http_methods(["GET", "POST"])
def web_form(request: HttpRequest) -> HttpResponse:
    """The public form a company links from its website.

    A message that trips a spam check gets the same thank-you page, but is held for review
    (``leads.web``), never dropped. The thank-you page is this URL with ``?sent=1``, so the form
    is the app's one public page.
    """
    if request.method == "GET" and "sent" in request.GET:
        return render(request, "leads/web_thanks.html")
    address = client_address(request)
    form = WebLeadForm(request.POST if request.method == "POST" else None, address=address)
    if request.method == "POST":
        if wait := _over_rate_limit(request):
            # Refused, not dropped: what they typed comes back for them to copy.
            typed = [(form[name].label, request.POST.get(name, "")) for name in WEB_FIELDS]
            response = render(
                request,
                "leads/web_refused.html",
                {"typed": [(label, value) for label, value in typed if value.strip()]},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            data = form.cleaned_data
            if reason := form.spam_reason():
                web.hold_submission(
                    **{name: data[name] for name in WEB_FIELDS},
                    website=data["website"],
                    reason=reason,
                    address=address,
                    user_agent=request.headers.get("User-Agent", ""),
                    team_name=settings.WEB_LEADS_TEAM,
                )
            else:
                services.create_web_lead(
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    company_name=data["company"],
                    message=data["message"],
                    team_name=settings.WEB_LEADS_TEAM,
                )
            return redirect(f"{reverse('leads:web_form')}?sent=1")
    return render(request, "leads/web_form.html", {"form": form})


# --- held web-form messages ------------------------------------------------------------------


def _reviews_web_submissions(user) -> bool:
    return user.is_manager or user.is_admin


def _held_submissions(request: HtmxHttpRequest):
    if not _reviews_web_submissions(request.user):
        raise Http404
    return WebSubmission.objects.visible_to(request.user)


@require_GET
def web_held(request: HtmxHttpRequest) -> HttpResponse:
    """The held messages of the teams a manager runs (every team's for an admin), newest first."""
    submissions = _held_submissions(request).held().select_related("team")
    page = CappedPaginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "submissions": page.object_list}
    return render_region(request, "leads/web_held.html", "held-list", context)


def _after_review(request: HtmxHttpRequest, submission: WebSubmission, **row) -> HttpResponse:
    """With htmx, the submission's row as it is now (and the message); else back to the list."""
    if request.htmx:
        return render(
            request,
            "leads/web_held.html#held-row-changed",
            {"submission": submission, **row},
        )
    return redirect("leads:web_held")


def _get_held(request: HtmxHttpRequest, pk: int) -> WebSubmission:
    return get_object_or_404(_held_submissions(request), pk=pk)


@require_POST
def web_release(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    submission = _get_held(request, pk)
    try:
        lead = web.release_submission(submission, by=request.user)
    except WebSubmission.DoesNotExist:
        raise Http404 from None  # purged by someone else meanwhile
    except web.WebSubmissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is now a lead.") % {"name": lead})
    return _after_review(request, submission)


@require_POST
def web_purge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    submission = _get_held(request, pk)
    try:
        web.purge_submission(submission, by=request.user)
    except WebSubmission.DoesNotExist:
        raise Http404 from None
    except web.WebSubmissionError as error:
        messages.error(request, str(error))
        return _after_review(request, submission)
    messages.success(request, _("The message from %(name)s was deleted.") % {"name": submission})
    return _after_review(request, submission, purged=True)


@require_POST
def web_purge_shown(request: HtmxHttpRequest) -> HttpResponse:
    """Purge the held messages the list showed (their ids are posted), not any that arrived
    since."""
    ids = [pk for value in request.POST.getlist("submissions") if (pk := parse_id(value))]
    submissions = _held_submissions(request).held().filter(pk__in=ids)
    count = web.purge_submissions(submissions, by=request.user)
    messages.success(
        request,
        ngettext("%(count)s message deleted.", "%(count)s messages deleted.", count)
        % {"count": count},
    )
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect("leads:web_held")


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
    return render_region(request, "leads/import_detail.html", "import-progress", context)


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


def _rejected_name(lead_import: LeadImport, extension: str) -> str:
    name = lead_import.file_name.rsplit(".", 1)[0] or "leads"
    return f"{name}-rejected.{extension}"


@require_GET
def import_rejected(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as CSV, cells disarmed; fixed, the file imports as it stands."""
    lead_import = get_object_or_404(_imports(request).exclude(rejected_csv=""), pk=pk)
    response = HttpResponse(BOM + lead_import.rejected_csv, content_type=CSV_CONTENT_TYPE)
    record(
        Kind.EXPORT,
        request=request,
        target=lead_import,
        rows=lead_import.rejected,
        file="rejected.csv",
    )
    return download(response, _rejected_name(lead_import, "csv"))


@require_GET
def import_rejected_xlsx(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The same rows as an Excel file, every cell as the text it was in the upload."""
    lead_import = get_object_or_404(_imports(request).exclude(rejected_csv=""), pk=pk)
    rows = importing.rejected_rows(lead_import)
    header = next(rows)
    rows = exported_rows(rows, request=request, what=lead_import, file="rejected.xlsx")
    return xlsx_response(_rejected_name(lead_import, "xlsx"), header, rows)
