"""What the company and contact pages do alike. Each view reads its record itself, scoped to the
user, and hands it here with the parts that are its own: form, template, messages."""

import copy

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django_filters import FilterSet

from crm.forms import OwnedRecordForm
from crm.models import Company, Contact
from crm.services import delete_record, protected_links
from crm.timeline import build_timeline, history_limit
from crm.versions import StaleEdit
from infra.htmx import HtmxHttpRequest, render_region
from infra.pagination import CappedPaginator

PER_PAGE = 25

type Record = Company | Contact


def record_list(
    request: HtmxHttpRequest,
    records: QuerySet,
    filterset: type[FilterSet],
    template: str,
    partial: str,
) -> HttpResponse:
    """The page of ``records`` filtered, sorted and paged; htmx asking for the list region
    alone gets the template's ``partial``."""
    filters = filterset(request.GET, queryset=records, request=request)
    page_obj = CappedPaginator(filters.qs, PER_PAGE, ids_first=True).get_page(
        request.GET.get("page")
    )
    context = {"filter": filters, "page_obj": page_obj, "sort": request.GET.get("sort", "")}
    return render_region(request, template, partial, context)


def record_detail(
    request: HtmxHttpRequest, record: Record, template: str, **context
) -> HttpResponse:
    """The page of ``record`` (in the context under its model's name) with its timeline, the
    leads it was converted from, and ``context``."""
    conversions = record.lead_conversions.select_related("lead", "converted_by").order_by(
        "-converted_at"
    )
    return render(
        request,
        template,
        {
            record._meta.model_name: record,
            "activity_timeline": build_timeline(
                record, user=request.user, limit=history_limit(request)
            ),
            "conversions": conversions,
            **context,
        },
    )


def record_create(
    request: HtmxHttpRequest,
    form_class: type[OwnedRecordForm],
    template: str,
    created: str,
    initial: dict | None = None,
) -> HttpResponse:
    """The form for a new record; once saved, ``created`` (a message naming it as
    ``%(name)s``) and the record's page."""
    form = form_class(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        record = form.save()
        messages.success(request, created % {"name": record})
        return redirect(record)
    return render(request, template, {"form": form})


def record_edit(
    request: HtmxHttpRequest,
    record: Record,
    form_class: type[OwnedRecordForm],
    template: str,
    saved: str,
) -> HttpResponse:
    """The form for ``record`` (in the context under its model's name); once saved, ``saved``
    (a message naming it as ``%(name)s``) and the record's page. Saved by someone else since the
    form was loaded: the form again, with what changed meanwhile (``crm.versions``)."""
    # The form works on a copy: validating writes into its instance, and the page keeps
    # naming the record as saved.
    form = form_class(request.POST or None, instance=copy.copy(record), user=request.user)
    context = {record._meta.model_name: record}
    if request.method == "POST" and form.is_valid():
        try:
            saved_record = form.save()
        except StaleEdit as error:
            meanwhile = form.meanwhile(error.current)
            context["changed_meanwhile"] = meanwhile.changes
            context[record._meta.model_name] = error.current
            form = form_class(meanwhile.data, instance=copy.copy(error.current), user=request.user)
        else:
            messages.success(request, saved % {"name": saved_record})
            return redirect(saved_record)
    return render(request, template, {"form": form, **context})


def record_delete(
    request: HtmxHttpRequest, record: Record, deleted: str, list_url: str
) -> HttpResponse:
    """Asks before deleting ``record``, or says what keeps it from being deleted; once deleted,
    ``deleted`` (a message naming it as ``%(name)s``) and the list at ``list_url``."""
    if request.method == "POST":
        blockers = delete_record(record)
        if not blockers:
            messages.success(request, deleted % {"name": record})
            return redirect(list_url)
    else:
        blockers = protected_links(record)
    return render(
        request,
        "crm/confirm_delete.html",
        {
            "object": record,
            "blockers": blockers,
            "cancel_url": record.get_absolute_url(),
            "delete_url": request.path,
        },
    )
