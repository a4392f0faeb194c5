"""What the company and contact pages do alike. Each view reads its record itself, scoped to the
user, and hands it here with the parts that are its own: form, template, messages."""

import copy

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_filters import FilterSet

from crm.forms import OwnedRecordForm
from crm.models import Company, Contact
from crm.timeline import build_timeline, history_limit
from crm.trash import plan_trash, trash_record
from crm.versions import StaleEdit
from infra.htmx import HtmxHttpRequest, render_region
from infra.pagination import CappedPaginator
from infra.toasts import undo_tags

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
    request: HtmxHttpRequest, record, deleted: str, list_url: str, cancel_url: str = ""
) -> HttpResponse:
    """Asks before moving ``record`` to the trash, saying what goes with it, or what keeps it
        from going and, when those could go with it, offers that; once done, ``deleted`` (a
        message naming it as ``%(name)s``, with an Undo) and the list at ``list_url`` (a URL name
    or a path); ``cancel_url`` goes back, by default to the record's page. Every
        record that can be deleted is deleted here (``crm.trash``)."""
    along = request.POST.get("along") == "1"
    if request.method == "POST":
        plan = trash_record(record, by=request.user, along=along and _may_take(request, record))
        if not plan.blocking:
            batch = plan.rows[0].trash_batch
            messages.success(
                request,
                deleted % {"name": record},
                extra_tags=undo_tags(reverse("crm:trash_restore", args=[batch.pk])),
            )
            return redirect(list_url)
    else:
        plan = plan_trash(record)
    return render(
        request,
        "crm/confirm_delete.html",
        {
            "object": record,
            "plan": plan,
            "may_take_along": _may_take(request, record, plan),
            "trash_days": settings.TRASH_DAYS,
            "cancel_url": cancel_url or record.get_absolute_url(),
            "delete_url": request.path,
        },
    )


def _may_take(request: HtmxHttpRequest, record, plan=None) -> bool:
    """Whether the user may move what keeps ``record`` from the trash there with it."""
    plan = plan or plan_trash(record)
    return plan.takeable and plan.visible_to(request.user)
