"""Log, schedule, note and complete activities from any page, without leaving it.

The record is named in the query string (``?opportunity=12``, or lead, contact, company) and
fetched through its model's ``visible_to``. ``slot`` says which region of the page the form
lives in, and so what is sent back after saving it:

- ``timeline`` (default): ``includes/timeline_slot.html`` of a detail page;
- ``card``: ``includes/card_activity_slot.html`` of a board card (opportunities only);
- ``day``: the "My day" region of the home page.

Each is a ``activities.slots.Slot``; the last two are registered by the apps whose pages hold
them.

The form replaces itself when invalid (status 200, errors beside the fields); once saved, the
response is retargeted to the whole slot, which comes back up to date.
"""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from activities.filters import ActivityFilter
from activities.forms import (
    CompleteActivityForm,
    LogActivityForm,
    NoteForm,
    ScheduleActivityForm,
)
from activities.models import SUBJECT_MODELS, Activity, subject_field
from activities.services import NextStepRequired, add_note, complete_activity, log_activity
from activities.services import schedule_activity as schedule_service
from activities.slots import Slot, slot_named
from activities.templatetags.activities import record_url
from crm.security_log import visible_or_404
from crm.versions import StaleEdit
from crm.views.records import record_delete
from infra.htmx import HtmxHttpRequest, wants_fragment
from infra.ids import parse_id
from infra.pagination import CappedPaginator
from infra.redirects import our_path

LIST_PAGE_SIZE = 25


@require_GET
@vary_on_headers("HX-Request")
def activity_list(request: HtmxHttpRequest) -> HttpResponse:
    """The activities still to do that the user sees, by due date. Each section of My day links
    here with the filters that pick what it counts."""
    activities = Activity.objects.visible_to(request.user).pending()
    filterset = ActivityFilter(request.GET, queryset=activities, request=request)
    rows = filterset.qs.with_subjects().order_by("due_date", "due_time", "pk")
    context = {
        "filterset": filterset,
        "page_obj": CappedPaginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page")),
        "today": timezone.localdate(),
    }
    template = "activities/activity_list.html"
    if wants_fragment(request):
        template += "#table"
    return render(request, template, context)


def _record(request: HttpRequest):
    """The record named in the query string, if the user may see it; 404 otherwise."""
    for kind, label in SUBJECT_MODELS.items():
        if kind in request.GET:
            model = apps.get_model(label)
            pk = parse_id(request.GET[kind])
            if pk is None:
                raise Http404
            return visible_or_404(request, model.objects, pk=pk)
    raise Http404


def _slot(request: HttpRequest, record) -> Slot:
    return slot_named(request.GET.get("slot", "timeline"), record)


def _back_url(request: HttpRequest, record) -> str:
    """After a form without JavaScript: ``next`` if it is ours, else the record's page."""
    return our_path(request, request.GET.get("next", ""), record_url(record) or reverse("home"))


def slot_context(request: HttpRequest, slot: Slot, record) -> dict:
    """What a slot's template needs, prepared in a constant number of queries."""
    return {"slot": slot.name, "slot_template": slot.template, **slot.context(request, record)}


def _form_response(
    request: HtmxHttpRequest, form, *, record, slot, title, submit, **extra
) -> HttpResponse:
    context = {
        **extra,
        "form": form,
        "record": record,
        "slot": slot.name,
        "title": title,
        "submit_label": submit,
        "action_url": request.get_full_path(),
        "slot_id": slot.element_id(record),
        "cancel_url": slot.url(record),
        "back_url": _back_url(request, record),
    }
    if request.htmx:
        return render(request, "activities/activity_form.html#form", context)
    return render(request, "activities/activity_form.html", context)


def _saved(request: HtmxHttpRequest, *, record, slot: Slot, message: str) -> HttpResponse:
    messages.success(request, message)
    if not request.htmx:
        return redirect(_back_url(request, record))
    response = render(request, "activities/saved.html", slot_context(request, slot, record))
    return retarget(reswap(response, "outerHTML"), f"#{slot.element_id(record)}")


def _form_prefix(slot: Slot, record, action: str) -> str:
    # Several forms can be open on one page (a board of cards): keep their ids apart.
    return f"id_{slot.name}_{subject_field(record)}{record.pk}_{action}_%s"


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def log(request: HtmxHttpRequest) -> HttpResponse:
    """Record a call, meeting, email or task already done."""
    record = _record(request)
    slot = _slot(request, record)
    form = LogActivityForm(request.POST or None, auto_id=_form_prefix(slot, record, "log"))
    if request.method == "POST" and form.is_valid():
        try:
            log_activity(record=record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, record=record, slot=slot, message=_("Activity logged."))
    return _form_response(
        request, form, record=record, slot=slot, title=_("Log an activity"), submit=_("Log")
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def schedule(request: HtmxHttpRequest) -> HttpResponse:
    """Plan a call, meeting, email or task for today or later."""
    record = _record(request)
    slot = _slot(request, record)
    form = ScheduleActivityForm(
        request.POST or None, auto_id=_form_prefix(slot, record, "schedule")
    )
    if request.method == "POST" and form.is_valid():
        try:
            schedule_service(record=record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, record=record, slot=slot, message=_("Activity scheduled."))
    return _form_response(
        request,
        form,
        record=record,
        slot=slot,
        title=_("Schedule an activity"),
        submit=_("Schedule"),
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def note(request: HtmxHttpRequest) -> HttpResponse:
    record = _record(request)
    slot = _slot(request, record)
    form = NoteForm(request.POST or None, auto_id=_form_prefix(slot, record, "note"))
    if request.method == "POST" and form.is_valid():
        add_note(record=record, by=request.user, text=form.cleaned_data["text"])
        return _saved(request, record=record, slot=slot, message=_("Note added."))
    return _form_response(
        request, form, record=record, slot=slot, title=_("Add a note"), submit=_("Add note")
    )


@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    activity = visible_or_404(request, Activity.objects.with_subjects(), pk=pk)
    back = activity.record.get_absolute_url()
    return record_delete(
        request, activity, _("Activity “%(name)s” was deleted."), back, cancel_url=back
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def complete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Mark an activity done; on an open deal, the next step is asked for in the same form (or
    that there is none for now).

    Completing one that someone else completed or changed since the form was opened is refused,
    and the form says what changed (``crm.versions``): nothing is done twice.
    """
    activities = Activity.objects.exclude(kind=Activity.Kind.NOTE)
    if request.method == "GET":
        activities = activities.pending()  # a done one has no form left to open
    activity = visible_or_404(request, activities.with_subjects(), pk=pk)
    record = activity.record
    slot = _slot(request, record)
    auto_id = _form_prefix(slot, record, f"complete{activity.pk}")
    form = CompleteActivityForm(request.POST or None, activity=activity, auto_id=auto_id)
    refused = {}
    if request.method == "POST" and form.is_valid():
        try:
            complete_activity(
                activity,
                outcome=form.cleaned_data["outcome"],
                by=request.user,
                next_step=form.next_step(),
                without_next_step=form.skips_next_step,
                version=form.loaded_version,
            )
        except StaleEdit as error:
            activity = error.current
            meanwhile = form.meanwhile(activity)
            form = CompleteActivityForm(meanwhile.data, activity=activity, auto_id=auto_id)
            refused = {"changed_meanwhile": meanwhile.changes}
            if not activity.is_pending:
                refused |= {"final": True, "meanwhile_headline": _already_done(activity)}
        except NextStepRequired as error:
            form.add_error("next_subject", error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, record=record, slot=slot, message=_("Activity done."))
    title = _("Done: %(subject)s") % {"subject": activity.subject}
    return _form_response(
        request, form, record=record, slot=slot, title=title, submit=_("Mark done"), **refused
    )


def _already_done(activity: Activity) -> str:
    if activity.done_by is None:
        return _("This activity was marked done meanwhile. Nothing of yours was saved.")
    return _("%(name)s marked this activity done meanwhile. Nothing of yours was saved.") % {
        "name": activity.done_by
    }


@require_GET
@vary_on_headers("HX-Request")
def timeline(request: HtmxHttpRequest) -> HttpResponse:
    """A record's activity panel and timeline (loaded lazily or refreshed by a page)."""
    record = _record(request)
    context = slot_context(request, slot_named("timeline", record), record)
    if request.htmx:
        return render(request, context["slot_template"], context)
    return render(request, "activities/slot_page.html", context)


@require_GET
@vary_on_headers("HX-Request")
def card(request: HtmxHttpRequest) -> HttpResponse:
    """The activity part of one board card."""
    record = _record(request)
    slot = slot_named("card", record)
    if slot.name != "card":
        raise Http404
    context = slot_context(request, slot, record)
    if request.htmx:
        return render(request, slot.template, context)
    return render(request, "activities/slot_page.html", context)
