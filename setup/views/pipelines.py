"""Pipelines and their stages: the list, a pipeline's stages in board order (dragged, or moved
up and down by their arrows), and each stage's form and deletion."""

import copy

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from infra.htmx import HtmxHttpRequest, wants_fragment
from infra.ids import parse_id
from opportunities.models import Opportunity, Pipeline, Stage
from setup import services
from setup.forms import MoveDealsForm, StageForm, name_form
from setup.views import form_page, managers_only, page

SECTION = "pipelines"
STEPS = {"up": -1, "down": 1}


def _pipeline_url(pipeline: Pipeline) -> str:
    return reverse("setup:pipeline_detail", args=[pipeline.pk])


def _stage(stage_pk: int) -> Stage:
    return get_object_or_404(Stage.objects.select_related("pipeline"), pk=stage_pk)


@managers_only
@require_GET
def pipeline_list(request: HtmxHttpRequest) -> HttpResponse:
    pipelines = Pipeline.objects.annotate(stage_count=Count("stages")).order_by("order", "name")
    return page(request, "setup/pipeline_list.html", SECTION, {"pipelines": pipelines})


@managers_only
@require_http_methods(["GET", "POST"])
def pipeline_create(request: HtmxHttpRequest) -> HttpResponse:
    form = name_form(Pipeline)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pipeline = services.create_pipeline(name=form.cleaned_data["name"])
        messages.success(
            request, _("Pipeline “%(name)s” was created: add its stages.") % {"name": pipeline}
        )
        return redirect(_pipeline_url(pipeline))
    cancel_url = reverse("setup:pipeline_list")
    return form_page(request, form, section=SECTION, title=_("New pipeline"), cancel_url=cancel_url)


@managers_only
@require_http_methods(["GET", "POST"])
def pipeline_rename(request: HtmxHttpRequest, pipeline_pk: int) -> HttpResponse:
    pipeline = get_object_or_404(Pipeline, pk=pipeline_pk)
    form = name_form(Pipeline)(request.POST or None, instance=copy.copy(pipeline))
    if request.method == "POST" and form.is_valid():
        services.rename(pipeline, name=form.cleaned_data["name"])
        messages.success(request, _("The pipeline is now called “%(name)s”.") % {"name": pipeline})
        return redirect(_pipeline_url(pipeline))
    title = _("Rename %(name)s") % {"name": pipeline}
    return form_page(
        request, form, section=SECTION, title=title, cancel_url=_pipeline_url(pipeline)
    )


def _stages_context(pipeline: Pipeline) -> dict:
    open_deals = Count("opportunities", filter=Q(opportunities__status=Opportunity.Status.OPEN))
    stages = pipeline.stages.annotate(open_deals=open_deals).order_by("order", "pk")
    return {"pipeline": pipeline, "stages": stages}


@managers_only
@require_GET
def pipeline_detail(request: HtmxHttpRequest, pipeline_pk: int) -> HttpResponse:
    """A pipeline's stages in the order the board shows them."""
    pipeline = get_object_or_404(Pipeline, pk=pipeline_pk)
    return page(request, "setup/pipeline_detail.html", SECTION, _stages_context(pipeline))


def _after_reorder(request: HtmxHttpRequest, pipeline: Pipeline, anchor: str = "") -> HttpResponse:
    """With htmx, the stage list as it is now, and the message; else the pipeline's page."""
    if wants_fragment(request):
        context = _stages_context(pipeline)
        return page(request, "setup/pipeline_detail.html", SECTION, context, region="stage-list")
    return redirect(_pipeline_url(pipeline) + anchor)


@managers_only
@require_POST
def stage_reorder(request: HtmxHttpRequest, pipeline_pk: int) -> HttpResponse:
    """Put the stages in the order posted (``stage``, every id once), as a drag leaves them."""
    pipeline = get_object_or_404(Pipeline, pk=pipeline_pk)
    ids = [pk for value in request.POST.getlist("stage") if (pk := parse_id(value)) is not None]
    try:
        services.reorder_stages(pipeline, stage_ids=ids)
    except services.SetupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The stages are in their new order."))
    return _after_reorder(request, pipeline)


@managers_only
@require_POST
def stage_move(request: HtmxHttpRequest, stage_pk: int) -> HttpResponse:
    """Move a stage one place up or down (``direction``): the arrows beside it."""
    stage = _stage(stage_pk)
    step = STEPS.get(request.POST.get("direction", ""))
    if step is None:
        return HttpResponseBadRequest(_("Say which way to move the stage: up or down."))
    stages = services.move_stage(stage, step=step)
    place = next(number for number, other in enumerate(stages, start=1) if other.pk == stage.pk)
    messages.success(
        request,
        _("“%(name)s” is now number %(place)s of %(count)s.")
        % {"name": stage, "place": place, "count": len(stages)},
    )
    return _after_reorder(request, stage.pipeline, anchor=f"#stage-{stage.pk}")


@managers_only
@require_http_methods(["GET", "POST"])
def stage_create(request: HtmxHttpRequest, pipeline_pk: int) -> HttpResponse:
    pipeline = get_object_or_404(Pipeline, pk=pipeline_pk)
    form = StageForm(request.POST or None, instance=Stage(pipeline=pipeline))
    if request.method == "POST" and form.is_valid():
        stage = services.add_stage(pipeline, **form.changes())
        messages.success(request, _("Stage “%(name)s” was added at the end.") % {"name": stage})
        return redirect(_pipeline_url(pipeline))
    title = _("New stage of %(pipeline)s") % {"pipeline": pipeline}
    return form_page(
        request, form, section=SECTION, title=title, cancel_url=_pipeline_url(pipeline)
    )


@managers_only
@require_http_methods(["GET", "POST"])
def stage_edit(request: HtmxHttpRequest, stage_pk: int) -> HttpResponse:
    stage = _stage(stage_pk)
    # The form works on a copy: validating writes into its instance, and the service compares
    # the stage as it was with the changes.
    form = StageForm(request.POST or None, instance=copy.copy(stage))
    if request.method == "POST" and form.is_valid():
        followed = services.update_stage(stage, by=request.user, **form.changes())
        message = _("Stage “%(name)s” was saved.") % {"name": stage}
        if followed:
            message += " " + ngettext(
                "%(count)s open deal took its new probability.",
                "%(count)s open deals took its new probability.",
                followed,
            ) % {"count": followed}
        messages.success(request, message)
        return redirect(_pipeline_url(stage.pipeline))
    title = _("Edit %(name)s") % {"name": stage}
    return form_page(
        request, form, section=SECTION, title=title, cancel_url=_pipeline_url(stage.pipeline)
    )


def _delete_page(request: HtmxHttpRequest, stage: Stage, form: MoveDealsForm) -> HttpResponse:
    """What deleting ``stage`` takes: nothing, moving its open deals, or nothing possible while
    won and lost deals are recorded there."""
    deals = stage.opportunities.aggregate(
        open=Count("pk", filter=Q(status=Opportunity.Status.OPEN)),
        closed=Count("pk", filter=~Q(status=Opportunity.Status.OPEN)),
    )
    context = {
        "stage": stage,
        "open_deals": deals["open"],
        "closed_deals": deals["closed"],
        "form": form,
        "other_stages": form.fields["to"].queryset.exists(),
        "cancel_url": _pipeline_url(stage.pipeline),
    }
    return page(request, "setup/stage_delete.html", SECTION, context)


@managers_only
@require_http_methods(["GET", "POST"])
def stage_delete(request: HtmxHttpRequest, stage_pk: int) -> HttpResponse:
    stage = _stage(stage_pk)
    if request.method == "POST":
        try:
            services.delete_stage(stage)
        except services.SetupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Stage “%(name)s” was deleted.") % {"name": stage})
            return redirect(_pipeline_url(stage.pipeline))
    return _delete_page(request, stage, MoveDealsForm(stage=stage))


@managers_only
@require_POST
def stage_move_deals(request: HtmxHttpRequest, stage_pk: int) -> HttpResponse:
    """Move a stage's open deals to another stage, so that it can be deleted."""
    stage = _stage(stage_pk)
    form = MoveDealsForm(request.POST, stage=stage)
    if not form.is_valid():
        return _delete_page(request, stage, form)
    to = form.cleaned_data["to"]
    moved = services.move_open_deals(stage, to=to, by=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s open deal moved to %(stage)s.",
            "%(count)s open deals moved to %(stage)s.",
            moved,
        )
        % {"count": moved, "stage": to},
    )
    return redirect("setup:stage_delete", stage.pk)
