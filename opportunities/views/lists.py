"""The list of deals and its CSV and Excel exports, all filtered alike."""

from django.core.paginator import Paginator
from django.db.models import Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from crm.security_log import exported_rows
from infra import spreadsheets
from opportunities.filters import OpportunityFilter
from opportunities.models import Opportunity
from opportunities.views import HtmxHttpRequest, is_fragment

LIST_PAGE_SIZE = 25
EXPORT_CHUNK_SIZE = 2000


def _list_filterset(request) -> OpportunityFilter:
    queryset = Opportunity.objects.visible_to(request.user)
    filterset = OpportunityFilter(request.GET, queryset=queryset, request=request)
    filterset.is_valid()
    return filterset


@require_GET
@vary_on_headers("HX-Request")
def opportunity_list(request: HtmxHttpRequest) -> HttpResponse:
    filterset = _list_filterset(request)
    rows = filterset.qs.select_related("company", "owner", "stage").with_weighted_amount()
    if not request.GET.get("sort"):
        rows = rows.order_by("expected_close_date", "pk")
    page_obj = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page_obj": page_obj,
        "today": timezone.localdate(),
        "export_query": request.GET.urlencode(),
    }
    template = "opportunities/opportunity_list.html"
    if is_fragment(request):
        template += "#table"
    return render(request, template, context)


EXPORT_COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("company__name", gettext_lazy("Company")),
    ("pipeline__name", gettext_lazy("Pipeline")),
    ("stage__name", gettext_lazy("Stage")),
    ("status", gettext_lazy("Status")),
    ("amount", gettext_lazy("Amount")),
    ("currency", gettext_lazy("Currency")),
    ("probability", gettext_lazy("Probability")),
    ("expected_close_date", gettext_lazy("Expected close date")),
    ("closed_date", gettext_lazy("Closed on")),
    ("owner_name", gettext_lazy("Owner")),
    ("team__name", gettext_lazy("Team")),
    ("lost_reason__name", gettext_lazy("Lost reason")),
    ("competitor", gettext_lazy("Competitor")),
]


def _export_rows(request: HtmxHttpRequest):
    """The filtered deals, one list of values per deal, read in chunks as they are asked for:
    memory stays flat whatever the size."""
    filterset = _list_filterset(request)
    # People and statuses as the app shows them, not as stored ("Alice Rep", "Open").
    full_name = Trim(Concat("owner__first_name", Value(" "), "owner__last_name"))
    rows = (
        filterset.qs.order_by("pk")
        .annotate(owner_name=Coalesce(NullIf(full_name, Value("")), "owner__username"))
        .values_list(*(name for name, _label in EXPORT_COLUMNS))
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )
    status = [name for name, _label in EXPORT_COLUMNS].index("status")
    labels = {value: str(label) for value, label in Opportunity.Status.choices}
    return (
        [*row[:status], labels.get(row[status], row[status]), *row[status + 1 :]] for row in rows
    )


def _export_header() -> list[str]:
    return [str(label) for _name, label in EXPORT_COLUMNS]


def _export_name(extension: str) -> str:
    return f"opportunities-{timezone.localdate().isoformat()}.{extension}"


@require_GET
def export(request: HtmxHttpRequest) -> HttpResponse:
    """The filtered deals as CSV, streamed as it is read."""
    rows = exported_rows(_export_rows(request), request=request, what="opportunities.csv")
    return spreadsheets.csv_response(_export_name("csv"), _export_header(), rows)


@require_GET
def export_xlsx(request: HtmxHttpRequest) -> HttpResponse:
    """The same deals as an Excel file, written row by row to a temporary file, then sent."""
    rows = exported_rows(_export_rows(request), request=request, what="opportunities.xlsx")
    return spreadsheets.xlsx_response(_export_name("xlsx"), _export_header(), rows)
