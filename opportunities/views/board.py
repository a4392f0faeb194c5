"""The pipeline board, its columns, and the transitions started from a card."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from infra.report_cache import cached_figures
from infra.toasts import undo_tags
from opportunities import services
from opportunities.filters import BoardFilter
from opportunities.forms import LostForm, MoveForm, UndoForm
from opportunities.models import Opportunity, Pipeline, Stage, rates_to_base
from opportunities.risk import attach_risks, risk_annotations
from opportunities.views import HtmxHttpRequest, back_to, is_fragment, visible_opportunity

# Cards shown per board column when it is drawn, and per "load more" (which the column asks
# for by itself when its end scrolls into view). Cards are the board's largest cost: each is a
# few forms and a dozen links, so the first drawing holds about what a screen shows: a laptop's
# (1366 × 900) shows eight, and ten keep "load more" out of its view, or every column would
# ask for more the moment the board is drawn.
FIRST_CARDS = 10
MORE_CARDS = 25


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


def _board_filterset(request) -> BoardFilter:
    """The board's filters from the query string. With none given, a rep sees their own deals;
    a manager sees the teams they run (which is all ``visible_to`` shows them anyway)."""
    data = request.GET
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


def _totals_key(request, filterset: BoardFilter) -> tuple:
    """Who is looking (their scope) and through which filters: what the totals depend on."""
    return (request.user, _board_query(filterset))


def _column_totals(queryset, stages: list[Stage], *, totals_key: tuple) -> list[Column]:
    """Columns with their totals over every matching deal, in the base currency, and no cards.

    Two queries whatever the number of stages: today's exchange rates and the totals grouped
    by stage. They sum every open deal of the columns, a hundred thousand for a large
    company's admin, so they are kept in the cache until a deal or a rate changes
    (``infra.report_cache``), for this scope and these filters.
    """
    columns = {stage.pk: Column(stage=stage) for stage in stages}
    queryset = queryset.filter(stage__in=list(columns))
    user, query = totals_key
    all_totals = cached_figures(
        "board-totals",
        [query, *columns],
        lambda: queryset.totals_by_stage(rates_to_base()),
        user=user,
    )
    for stage_id, totals in all_totals.items():
        column = columns[stage_id]
        column.count, column.amount, column.weighted = (
            totals["deals"],
            totals["amount_total"],
            totals["weighted_total"],
        )
    return list(columns.values())


def _columns(queryset, stages: list[Stage], *, totals_key: tuple, user) -> list[Column]:
    """Columns with their totals and their first cards: the cards of every stage come
    together (see ``OpportunityQuerySet.first_per_stage``)."""
    columns = {
        column.stage.pk: column
        for column in _column_totals(queryset, stages, totals_key=totals_key)
    }
    cards = (
        queryset.filter(stage__in=list(columns))
        .select_related("company", "owner")
        .with_activity_badges()
        .annotate(**risk_annotations())
        .first_per_stage(list(columns), FIRST_CARDS)
    )
    for card in cards:
        column = columns[card.stage_id]
        card.stage = column.stage  # already loaded: a card's stage costs no query
        column.cards.append(card)
    attach_risks(cards, user=user)
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
def board(request: HtmxHttpRequest) -> HttpResponse:
    """The pipeline board: one column per stage of the chosen pipeline, open deals only."""
    filterset = _board_filterset(request)
    pipelines = list(Pipeline.objects.all())
    # The pipeline select is drawn from the list already loaded rather than a second query.
    filterset.form.fields["pipeline"].widget.choices = [(p.pk, p.name) for p in pipelines]
    pipeline = _chosen_pipeline(filterset, pipelines)
    stages = list(pipeline.stages.all()) if pipeline else []
    queryset = filterset.qs.filter(pipeline=pipeline) if pipeline else filterset.qs.none()
    context = _board_context(request, filterset, stages=stages)
    context |= {
        "pipeline": pipeline,
        "pipelines": pipelines,
        "columns": _columns(
            queryset, stages, totals_key=_totals_key(request, filterset), user=request.user
        ),
    }
    template = "opportunities/board.html"
    if is_fragment(request):
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
def column(request: HtmxHttpRequest, stage_pk: int) -> HttpResponse:
    """One column of the board: with ``after``, only the next cards ("load more")."""
    stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=stage_pk)
    filterset = _board_filterset(request)
    stages = list(stage.pipeline.stages.all())
    queryset = filterset.qs.filter(stage=stage)
    context = _board_context(request, filterset, stages=stages)
    cursor = _parse_cursor(request.GET.get("after", ""))
    if cursor is None:
        context["column"] = _columns(
            queryset, [stage], totals_key=_totals_key(request, filterset), user=request.user
        )[0]
        template = "opportunities/board.html#column"
    else:
        cards = list(
            queryset.after(cursor)
            .select_related("company", "owner")
            .with_activity_badges()
            .annotate(**risk_annotations())[: MORE_CARDS + 1]
        )
        for card in cards:
            card.stage = stage
        more = Column(stage=stage, cards=attach_risks(cards[:MORE_CARDS], user=request.user))
        more.count = len(cards)
        context["column"] = more
        template = "opportunities/board.html#more-cards"
    if not is_fragment(request):
        # Without JavaScript, "load more" pages through the column on a page of its own.
        template = "opportunities/column.html"
    return render(request, template, context)


def _render_columns(request, opportunity: Opportunity, stage_ids: list[int]) -> HttpResponse:
    """The columns of ``stage_ids`` in the deal's pipeline drawn afresh out of band, with the
    messages: after a change that failed, the board shows the deal where it really is."""
    filterset = _board_filterset(request)
    stages = list(opportunity.pipeline.stages.all())
    changed = [stage for stage in stages if stage.pk in stage_ids]
    context = _board_context(request, filterset, stages=stages)
    context["columns"] = _columns(
        filterset.qs, changed, totals_key=_totals_key(request, filterset), user=request.user
    )
    return render(request, "opportunities/board.html#changed-columns", context)


def _render_card_change(
    request, opportunity: Opportunity, stage_ids: list[int], *, was_shown: bool = True
) -> HttpResponse:
    """After a deal moved or closed: the totals of the columns of ``stage_ids`` and the card
    where it now belongs, out of band, with the messages.

    Only the card is drawn (at the top of its new column), not the columns around it: the
    cards already on the page, those brought by "load more" included, stay where they are, and
    the answer costs the same however many cards the columns show. A column is drawn whole
    only when all it holds is at hand: empty, or this card alone. The card leaves the board
    when the deal is closed or no longer matches the board's filters. A deal that was closed
    (``was_shown`` false: a win taken back) had no card to take away.
    """
    filterset = _board_filterset(request)
    stages = list(opportunity.pipeline.stages.all())
    changed = [stage for stage in stages if stage.pk in stage_ids]
    columns = _column_totals(filterset.qs, changed, totals_key=_totals_key(request, filterset))
    card = None
    if opportunity.is_open:  # a closed deal leaves the board: no card to draw
        card = (
            filterset.qs.filter(pk=opportunity.pk, stage__in=stage_ids)
            .select_related("company", "owner")
            .with_activity_badges()
            .annotate(**risk_annotations())
            .first()
        )
    for column in columns:
        if card is not None and card.stage_id == column.stage.pk:
            card.stage = column.stage
            column.cards = attach_risks([card], user=request.user)
    context = _board_context(request, filterset, stages=stages)
    context |= {"columns": columns, "moved_pk": opportunity.pk if was_shown else None}
    return render(request, "opportunities/board.html#changed-card", context)


def _undo(request, opportunity: Opportunity, action: str, *, back: str) -> str:
    """The extra tags of the message after ``action``: its toast offers to take it back.

    The Undo posts to the board's filters, as the action did, so that its answer draws the
    board alike; without JavaScript it comes back to ``back``.
    """
    url = reverse("opportunities:undo", args=[opportunity.pk])
    if request.GET:
        url += f"?{request.GET.urlencode()}"
    return undo_tags(
        url,
        inline=is_fragment(request),
        action=action,
        version=opportunity.version,
        next=back_to(request, back),
    )


@require_POST
def move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Move a deal to another stage (drag and drop, or the "Move to…" menu of its card)."""
    opportunity = visible_opportunity(request, pk)
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
            undo = ""
            if opportunity.stage_id != old_stage_id:  # to the stage it was in: nothing to undo
                undo = _undo(request, opportunity, "move", back=reverse("opportunities:board"))
            messages.success(
                request,
                _("%(name)s moved to %(stage)s.")
                % {"name": opportunity.name, "stage": opportunity.stage.name},
                extra_tags=undo,
            )
            if is_fragment(request):
                return _render_card_change(
                    request, opportunity, [old_stage_id, opportunity.stage_id]
                )
    if is_fragment(request):
        # The card may have been dropped on a column where the deal is not: that column and
        # the deal's own are drawn as they are.
        posted = form.cleaned_data.get("stage") if form.is_valid() else None
        stage_ids = [old_stage_id, opportunity.stage_id, *([posted.pk] if posted else [])]
        return _render_columns(request, opportunity, stage_ids)
    return redirect(back_to(request, reverse("opportunities:board")))


@require_POST
def won(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = visible_opportunity(request, pk)
    try:
        services.mark_won(opportunity, by=request.user)
    except (services.ConcurrentEditError, services.InvalidTransition) as error:
        messages.error(request, _conflict_text(error))
    else:
        messages.success(
            request,
            _("%(name)s is won. Well done!") % {"name": opportunity.name},
            extra_tags=_undo(request, opportunity, "won", back=opportunity.get_absolute_url()),
        )
        if is_fragment(request):
            return _render_card_change(request, opportunity, [opportunity.stage_id])
    if is_fragment(request):
        return _render_columns(request, opportunity, [opportunity.stage_id])
    return redirect(back_to(request, opportunity.get_absolute_url()))


def _conflict_text(error: Exception) -> str:
    if isinstance(error, services.ConcurrentEditError):
        return _("Someone else changed this deal just now; nothing was saved.")
    return str(error)


@require_http_methods(["GET", "POST"])
def lost(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Ask why the deal was lost (and to whom), then close it as lost."""
    opportunity = visible_opportunity(request, pk)
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
            messages.info(
                request,
                _("%(name)s is marked lost.") % {"name": opportunity.name},
                extra_tags=_undo(request, opportunity, "lost", back=opportunity.get_absolute_url()),
            )
            if is_fragment(request):
                return _render_card_change(request, opportunity, [opportunity.stage_id])
        if is_fragment(request):
            return _render_columns(request, opportunity, [opportunity.stage_id])
        return redirect(back_to(request, opportunity.get_absolute_url()))
    board_query = request.GET.copy()
    board_query.pop("next", None)
    context = {
        "opportunity": opportunity,
        "form": form,
        "next": back_to(request, opportunity.get_absolute_url()),
        "board_query": board_query.urlencode(),
    }
    template = "opportunities/lost.html"
    if is_fragment(request):
        template += "#lost-form"
    return render(request, template, context)


@require_POST
def reopen(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = visible_opportunity(request, pk)
    try:
        services.reopen(opportunity, by=request.user)
    except (services.ConcurrentEditError, services.InvalidTransition) as error:
        messages.error(request, _conflict_text(error))
    else:
        messages.success(request, _("%(name)s is open again.") % {"name": opportunity.name})
    return redirect(opportunity.get_absolute_url())


@require_POST
def undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Take back a move, a win or a loss from its toast's Undo, unless the deal changed since."""
    opportunity = visible_opportunity(request, pk)
    was_open, old_stage_id = opportunity.is_open, opportunity.stage_id
    form = UndoForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("There is nothing to undo."))
    else:
        try:
            services.undo_transition(
                opportunity,
                action=form.cleaned_data["action"],
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except services.ConcurrentEditError:
            messages.error(
                request,
                _("%(name)s has changed since, so nothing was undone.")
                % {"name": opportunity.name},
            )
        except services.InvalidTransition as error:
            messages.error(request, str(error))
        else:
            undone = (
                _("%(name)s is back in %(stage)s.") if was_open else _("%(name)s is open again.")
            )
            messages.success(
                request, undone % {"name": opportunity.name, "stage": opportunity.stage.name}
            )
            if is_fragment(request):
                return _render_card_change(
                    request, opportunity, [old_stage_id, opportunity.stage_id], was_shown=was_open
                )
    if is_fragment(request):
        return _render_columns(request, opportunity, [opportunity.stage_id])
    return redirect(back_to(request, opportunity.get_absolute_url()))
