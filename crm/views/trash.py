"""The trash: what the user could delete and did (or their teams did, for a manager), to be
restored or deleted for good."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from crm.models import TrashBatch
from crm.trash import PurgeRefused, RestoreRefused, purge_batch, restore_batch
from infra.htmx import HtmxHttpRequest
from infra.pagination import CappedPaginator

PER_PAGE = 25


@require_GET
def trash_list(request: HtmxHttpRequest) -> HttpResponse:
    batches = (
        TrashBatch.objects.visible_to(request.user)
        .select_related("root_type", "deleted_by")
        .order_by("-deleted_at", "pk")
    )
    page_obj = CappedPaginator(batches, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "crm/trash.html", {"page_obj": page_obj, "trash_days": settings.TRASH_DAYS}
    )


@require_POST
def trash_restore(request: HtmxHttpRequest, pk) -> HttpResponse:
    batch = get_object_or_404(TrashBatch.objects.visible_to(request.user), pk=pk)
    try:
        rows = restore_batch(batch, by=request.user)
    except RestoreRefused as refused:
        messages.error(request, str(refused))
        return redirect("crm:trash")
    along = len(rows) - 1
    if along:
        text = ngettext(
            "“%(name)s” was restored with %(count)s record that went with it.",
            "“%(name)s” was restored with the %(count)s records that went with it.",
            along,
        ) % {"name": batch, "count": along}
    else:
        text = _("“%(name)s” was restored.") % {"name": batch}
    messages.success(request, text)
    return redirect(rows[0])


@require_POST
def trash_purge(request: HtmxHttpRequest, pk) -> HttpResponse:
    batch = get_object_or_404(TrashBatch.objects.visible_to(request.user), pk=pk)
    try:
        purge_batch(batch, by=request.user)
    except PurgeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("“%(name)s” was deleted for good.") % {"name": batch})
    return redirect("crm:trash")
