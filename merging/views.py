from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.security_log import visible_or_404
from infra.htmx import HtmxHttpRequest
from infra.ids import parse_id
from merging.services import KINDS, may_merge, merge_records

CANDIDATES = 10


def _people_named(records, query: str):
    words = Q()
    for word in query.split():
        words &= (
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return records.filter(words).order_by("last_name", "first_name", "pk")


def _candidates(kind: str, record, user, query: str):
    """Records the user may merge into ``record``: those matching ``query``, or else those
    that look like the same customer (same email, phone, domain or name)."""
    others = type(record).objects.visible_to(user).exclude(pk=record.pk)
    query = query.strip()
    if kind == "company":
        if query:
            found = others.named_like(query)
        else:
            found = others.matching(
                name=record.name, domains=[record.email_domain], phone=record.phone
            )
        return found.order_by("name", "pk")[:CANDIDATES]
    if query:
        return _people_named(others, query)[:CANDIDATES]
    return others.matching(email=record.email, phone=record.phone).order_by("pk")[:CANDIDATES]


def _fields(survivor, other) -> list[tuple[str, object, object]]:
    """The fields shown side by side before a merge: label, this record's, the other's."""
    shown = []
    for model_field in type(survivor)._meta.concrete_fields:
        if not model_field.editable or model_field.primary_key:
            continue
        mine = getattr(survivor, model_field.name)
        theirs = getattr(other, model_field.name)
        if mine in (None, "") and theirs in (None, ""):
            continue
        shown.append((model_field.verbose_name, mine, theirs))
    return shown


@require_http_methods(["GET", "POST"])
def merge(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    """Merge another record into this one: pick it, compare, confirm."""
    model = KINDS.get(kind)
    if model is None or not may_merge(request.user):
        raise Http404
    record = visible_or_404(request, model.objects, pk=pk)
    other_pk = parse_id(request.POST.get("other") or request.GET.get("other"))
    other = None
    if other_pk is not None and other_pk != record.pk:
        other = visible_or_404(request, model.objects, pk=other_pk)
    error = None
    if request.method == "POST" and other is not None:
        try:
            merge_records(record, other, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("“%(other)s” was merged into “%(record)s”.") % {"other": other, "record": record},
            )
            return redirect(record)
    query = request.GET.get("q", "")
    context = {
        "kind": kind,
        "record": record,
        "other": other,
        "error": error,
        "query": query,
        "candidates": [] if other else _candidates(kind, record, request.user, query),
        "fields": _fields(record, other) if other else [],
        "verbose_name": model._meta.verbose_name,
    }
    return render(request, "merging/merge.html", context)
