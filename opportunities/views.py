import copy
import csv
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from opportunities import services
from opportunities.filters import BoardFilter, OpportunityFilter
from opportunities.forms import LostForm, MoveForm, OpportunityForm, QuickEditForm
from opportunities.models import Opportunity, Pipeline, Stage, rates_to_base

# Cards shown per board column before "load more".
COLUMN_SIZE = 25
LIST_PAGE_SIZE = 25
EXPORT_CHUNK_SIZE = 2000


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _is_fragment(request) -> bool:
    return bool(request.htmx and not request.htmx.boosted)


# --- The board --------------------------------------------------------------------------------


@dataclass
class Column:
    stage: Stage
    count: int = 0
    amount: Decimal = Decimal(0)
    weighted: Decimal = Decimal(0)
    cards: list[Opportunity] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.cards)

    @property
    def cursor(self) -> str:
        last = self.cards[-1]
        return f"{last.expected_close_date.isoformat()}_{last.pk}"


def _board_filterset(request, data: QueryDict | None = None) -> BoardFilter:
    """The board's filters from the query string. With none given, a rep sees their own deals;
    a manager sees the teams they run (which is all ``visible_to`` shows them anyway)."""
    data = request.GET if data is None else data
    if not data and not request.user.is_manager and not request.user.is_admin:
        data = QueryDict(mutable=True)
        data["owner"] = str(request.user.pk)
    queryset = Opportunity.objects.visible_to(request.user).open()
    filterset = BoardFilter(data, queryset=queryset, request=request)
    filterset.is_valid()
    return filterset


def _board_query(filterset: BoardFilter) -> str:
    """The filters as a query string, carried by every board action so columns re-render alike."""
    query = QueryDict(mutable=True)
    for name, value in filterset.data.items():
        # Empty values are kept: "owner=" (everyone) differs from no owner given (mine).
        if name in filterset.filters:
            query[name] = value
    return query.urlencode()


def _chosen_pipeline(filterset: BoardFilter, pipelines: list[Pipeline]) -> Pipeline | None:
    chosen = filterset.form.cleaned_data.get("pipeline")
    if chosen:
        return chosen
    return next((p for p in pipelines if p.is_default), pipelines[0] if pipelines else None)


def _columns(queryset, stages: list[Stage]) -> list[Column]:
    """Columns with their totals over every matching deal and their first cards.

    Three queries whatever the number of stages: today's exchange rates, the totals (in the
    base currency) grouped by stage, and the first cards of every stage together (see
    ``OpportunityQuerySet.first_per_stage``).
    """
    columns = {stage.pk: Column(stage=stage) for stage in stages}
    queryset = queryset.filter(stage__in=list(columns))
    for stage_id, totals in queryset.totals_by_stage(rates_to_base()).items():
        column = columns[stage_id]
        column.count, column.amount, column.weighted = (
            totals["deals"],
            totals["amount_total"],
            totals["weighted_total"],
        )
    cards = queryset.select_related("company", "owner").first_per_stage(list(columns), COLUMN_SIZE)
    for card in cards:
        column = columns[card.stage_id]
        card.stage = column.stage  # already loaded: a card's stage costs no query
        column.cards.append(card)
    return list(columns.values())


def _board_context(request, filterset: BoardFilter, *, stages: list[Stage] | None = None) -> dict:
    query = _board_query(filterset)
    return {
        "filterset": filterset,
        "board_query": query,
        "board_url": f"{reverse('opportunities:board')}?{query}",
        "today": timezone.localdate(),
        "stages": stages,
        "base_currency": settings.BASE_CURRENCY,
    }


@require_GET
@vary_on_headers("HX-Request")
def board(request: HtmxHttpRequest):
    """The pipeline board: one column per stage of the chosen pipeline, open deals only."""
    filterset = _board_filterset(request)
    pipelines = list(Pipeline.objects.all())
    # The pipeline select is drawn from the list already loaded rather than a second query.
    filterset.form.fields["pipeline"].widget.choices = [(p.pk, p.name) for p in pipelines]
    pipeline = _chosen_pipeline(filterset, pipelines)
    stages = list(pipeline.stages.all()) if pipeline else []
    queryset = filterset.qs.filter(pipeline=pipeline) if pipeline else filterset.qs.none()
    context = _board_context(request, filterset, stages=stages)
    context |= {"pipeline": pipeline, "pipelines": pipelines, "columns": _columns(queryset, stages)}
    template = "opportunities/board.html"
    if _is_fragment(request):
        template += "#board"
    return render(request, template, context)


def _parse_cursor(value: str) -> tuple[datetime.date, int] | None:
    date, _sep, pk = value.partition("_")
    try:
        return datetime.date.fromisoformat(date), int(pk)
    except ValueError:
        return None


@require_GET
@vary_on_headers("HX-Request")
def column(request: HtmxHttpRequest, stage_pk: int):
    """One column of the board: with ``after``, only the next cards ("load more")."""
    stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=stage_pk)
    filterset = _board_filterset(request)
    stages = list(stage.pipeline.stages.all())
    queryset = filterset.qs.filter(stage=stage)
    context = _board_context(request, filterset, stages=stages)
    cursor = _parse_cursor(request.GET.get("after", ""))
    if cursor is None:
        context["column"] = _columns(queryset, [stage])[0]
        template = "opportunities/board.html#column"
    else:
        cards = list(queryset.after(cursor).select_related("company", "owner")[: COLUMN_SIZE + 1])
        more = Column(stage=stage, cards=cards[:COLUMN_SIZE])
        more.count = len(cards)
        context["column"] = more
        template = "opportunities/board.html#more-cards"
    if not _is_fragment(request):
        return redirect(f"{reverse('opportunities:board')}?{context['board_query']}")
    return render(request, template, context)


def _back_to(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _render_columns(request, stage_ids: list[int], *, status: int = 200) -> HttpResponse:
    """The columns of ``stage_ids`` re-rendered out of band, with the messages."""
    filterset = _board_filterset(request)
    stages = list(Stage.objects.filter(pk__in=stage_ids).order_by("order"))
    all_stages = list(Stage.objects.filter(pipeline_id=stages[0].pipeline_id)) if stages else []
    context = _board_context(request, filterset, stages=all_stages)
    context["columns"] = _columns(filterset.qs, stages)
    return render(request, "opportunities/board.html#changed-columns", context, status=status)


def _visible(request, pk: int):
    queryset = Opportunity.objects.visible_to(request.user).select_related("stage", "pipeline")
    return get_object_or_404(queryset, pk=pk)


@require_POST
def move(request: HtmxHttpRequest, pk: int):
    """Move a deal to another stage (drag and drop, or the stage select on its card)."""
    opportunity = _visible(request, pk)
    old_stage_id = opportunity.stage_id
    form = MoveForm(request.POST, opportunity=opportunity)
    if not form.is_valid():
        messages.error(request, _("Choose a stage of this deal's pipeline."))
    else:
        try:
            services.move_opportunity(
                opportunity, stage=form.cleaned_data["stage"], by=request.user
            )
        except services.ConcurrentEditError:
            messages.error(
                request, _("Someone else changed this deal just now; the board shows it as it is.")
            )
        except services.InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s moved to %(stage)s.")
                % {"name": opportunity.name, "stage": opportunity.stage.name},
            )
    if _is_fragment(request):
        return _render_columns(request, [old_stage_id, opportunity.stage_id])
    return redirect(_back_to(request, reverse("opportunities:board")))


@require_POST
def won(request: HtmxHttpRequest, pk: int):
    opportunity = _visible(request, pk)
    try:
        services.mark_won(opportunity, by=request.user)
    except (services.ConcurrentEditError, services.InvalidTransition) as error:
        messages.error(request, _conflict_text(error))
    else:
        messages.success(request, _("%(name)s is won. Well done!") % {"name": opportunity.name})
    if _is_fragment(request):
        return _render_columns(request, [opportunity.stage_id])
    return redirect(_back_to(request, opportunity.get_absolute_url()))


def _conflict_text(error: Exception) -> str:
    if isinstance(error, services.ConcurrentEditError):
        return _("Someone else changed this deal just now; nothing was saved.")
    return str(error)


@require_http_methods(["GET", "POST"])
def lost(request: HtmxHttpRequest, pk: int):
    """Ask why the deal was lost (and to whom), then close it as lost."""
    opportunity = _visible(request, pk)
    form = LostForm(request.POST or None, auto_id=f"lost-{opportunity.pk}-%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_lost(
                opportunity,
                reason=form.cleaned_data["reason"],
                competitor=form.cleaned_data["competitor"],
                by=request.user,
            )
        except (services.ConcurrentEditError, services.InvalidTransition) as error:
            messages.error(request, _conflict_text(error))
        else:
            messages.info(request, _("%(name)s is marked lost.") % {"name": opportunity.name})
        if _is_fragment(request):
            return _render_columns(request, [opportunity.stage_id])
        return redirect(_back_to(request, opportunity.get_absolute_url()))
    board_query = request.GET.copy()
    board_query.pop("next", None)
    context = {
        "opportunity": opportunity,
        "form": form,
        "next": _back_to(request, opportunity.get_absolute_url()),
        "board_query": board_query.urlencode(),
    }
    template = "opportunities/lost.html"
    if _is_fragment(request):
        template += "#lost-form"
    return render(request, template, context)


@require_POST
def reopen(request: HtmxHttpRequest, pk: int):
    opportunity = _visible(request, pk)
    try:
        services.reopen(opportunity, by=request.user)
    except (services.ConcurrentEditError, services.InvalidTransition) as error:
        messages.error(request, _conflict_text(error))
    else:
        messages.success(request, _("%(name)s is open again.") % {"name": opportunity.name})
    return redirect(opportunity.get_absolute_url())


# --- List and export --------------------------------------------------------------------------


def _list_filterset(request) -> OpportunityFilter:
    queryset = Opportunity.objects.visible_to(request.user)
    filterset = OpportunityFilter(request.GET, queryset=queryset, request=request)
    filterset.is_valid()
    return filterset


@require_GET
@vary_on_headers("HX-Request")
def opportunity_list(request: HtmxHttpRequest):
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
    if _is_fragment(request):
        template += "#table"
    return render(request, template, context)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell value a spreadsheet will not run as a formula (a leading quote disarms it)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object that hands back what is written to it, for csv.writer."""

    def write(self, value: str) -> str:
        return value


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
    ("owner__username", gettext_lazy("Owner")),
    ("team__name", gettext_lazy("Team")),
    ("lost_reason__name", gettext_lazy("Lost reason")),
    ("competitor", gettext_lazy("Competitor")),
]


@require_GET
def export(request: HtmxHttpRequest):
    """The filtered deals as CSV, streamed in chunks: memory stays flat whatever the size."""
    filterset = _list_filterset(request)
    rows = (
        filterset.qs.order_by("pk")
        .values_list(*(name for name, _label in EXPORT_COLUMNS))
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([str(label) for _name, label in EXPORT_COLUMNS])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"opportunities-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Detail, create and edit ------------------------------------------------------------------


def _detail_context(request, opportunity: Opportunity) -> dict:
    changes = opportunity.changes.select_related("changed_by", "from_stage", "to_stage")
    return {"object": opportunity, "opportunity": opportunity, "changes": changes}


def _detailed(request, pk: int) -> Opportunity:
    queryset = Opportunity.objects.visible_to(request.user).select_related(
        "company", "contact", "lead", "owner", "team", "pipeline", "stage", "lost_reason"
    )
    return get_object_or_404(queryset, pk=pk)


@require_GET
@vary_on_headers("HX-Request")
def detail(request: HtmxHttpRequest, pk: int):
    opportunity = _detailed(request, pk)
    template = "opportunities/opportunity_detail.html"
    if _is_fragment(request):
        template += "#summary"
    return render(request, template, _detail_context(request, opportunity))


def _conflict(form, current: Opportunity) -> list[tuple[str, str, str]]:
    """What the user tried to save beside what is saved now, for the fields they changed."""
    rows = []
    for name in form.changed_data:
        if name == "version" or name not in form.cleaned_data:
            continue
        yours = form.cleaned_data[name]
        rows.append((form.fields[name].label, getattr(current, name), yours))
    return rows


@require_http_methods(["GET", "POST"])
def quick_edit(request: HtmxHttpRequest, pk: int):
    """Edit amount, probability, close date and stage in place on the detail page."""
    opportunity = _detailed(request, pk)
    # The form works on a copy: validating a ModelForm writes into its instance, and the
    # service compares the loaded values with the new ones to record history.
    form = QuickEditForm(request.POST or None, instance=copy.copy(opportunity))
    context = _detail_context(request, opportunity)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_opportunity(
                opportunity,
                by=request.user,
                version=form.cleaned_data["version"],
                **form.changes(),
            )
        except services.ConcurrentEditError as error:
            context["conflict"] = _conflict(form, error.current)
            opportunity = _detailed(request, pk)
            form = QuickEditForm(instance=opportunity)
            context |= _detail_context(request, opportunity)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            if _is_fragment(request):
                context |= _detail_context(request, _detailed(request, pk))
                return render(request, "opportunities/opportunity_detail.html#updated", context)
            messages.success(request, _("Saved."))
            return redirect(opportunity)
    context["quick_form"] = form
    template = "opportunities/opportunity_detail.html"
    if _is_fragment(request):
        template += "#quick-form"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def create(request: HtmxHttpRequest):
    pipeline = services.default_pipeline()
    initial = {
        "pipeline": pipeline,
        "expected_close_date": timezone.localdate() + datetime.timedelta(days=30),
    }
    if pipeline:
        initial["stage"] = pipeline.stages.first()
    if "company" in request.GET:
        initial["company"] = request.GET["company"]
    form = OpportunityForm(request.POST or None, user=request.user, initial=initial)
    if _is_fragment(request) and request.htmx.target == "contact-field":
        return render(request, "opportunities/opportunity_form.html#contact-field", {"form": form})
    if request.method == "POST" and form.is_valid():
        values = form.changes()
        stage = values.pop("stage")
        values.pop("pipeline")
        if values.get("probability") is None:
            values.pop("probability")
        else:
            values["probability_is_manual"] = values["probability"] != stage.probability
        values["team"] = values["owner"].team
        opportunity = services.create_opportunity(by=request.user, stage=stage, **values)
        messages.success(request, _("%(name)s was created.") % {"name": opportunity.name})
        return redirect(opportunity)
    return render(request, "opportunities/opportunity_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, pk: int):
    opportunity = _detailed(request, pk)
    initial = {"company": request.GET["company"]} if "company" in request.GET else None
    form = OpportunityForm(
        request.POST or None, user=request.user, instance=copy.copy(opportunity), initial=initial
    )
    context = {"opportunity": opportunity}
    if _is_fragment(request) and request.htmx.target == "contact-field":
        return render(request, "opportunities/opportunity_form.html#contact-field", {"form": form})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_opportunity(
                opportunity,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                **form.changes(),
            )
        except services.ConcurrentEditError as error:
            context["conflict"] = _conflict(form, error.current)
            opportunity = _detailed(request, pk)
            form = OpportunityForm(user=request.user, instance=opportunity)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": opportunity.name})
            return redirect(opportunity)
    context["form"] = form
    return render(request, "opportunities/opportunity_form.html", context)
