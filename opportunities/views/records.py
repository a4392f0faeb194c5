"""A deal's own pages: detail with edits in place, and the create and edit forms."""

import copy
import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from crm.security_log import visible_or_404
from crm.timeline import build_timeline, history_limit
from crm.views.records import record_delete
from opportunities import services
from opportunities.forms import OpportunityForm, QuickEditForm
from opportunities.models import Opportunity
from opportunities.risk import attach_risks, risk_annotations
from opportunities.views import HtmxHttpRequest, is_fragment


def _detail_context(request, opportunity: Opportunity) -> dict:
    limit = history_limit(request)
    changes = opportunity.changes.select_related("changed_by", "from_stage", "to_stage")
    if limit is not None:
        changes = changes[: limit + 1]  # one more: are there older ones?
    # Built only if the page shows it (fragments of the page do not).
    timeline = SimpleLazyObject(lambda: build_timeline(opportunity, user=request.user, limit=limit))

    def risks():
        # The stale flag's rule is the badges', which the timeline has read.
        opportunity.is_stale = timeline.badges.is_stale
        opportunity.last_activity_at = timeline.badges.last_activity_at
        return attach_risks([opportunity], user=request.user)[0].risks

    return {
        "object": opportunity,
        "opportunity": opportunity,
        "changes": changes,
        "history_size": limit,
        "activity_timeline": timeline,
        "risks": SimpleLazyObject(risks),
    }


def _detailed(request, pk: int) -> Opportunity:
    # Team and lost reason (small tables) are read apart when shown: two more joins made
    # PostgreSQL spend 9 ms (a deal page's whole budget for SQL) choosing the order of ten.
    queryset = Opportunity.objects.select_related(
        "company", "contact", "lead", "owner", "pipeline", "stage"
    ).with_visible_links(request.user)
    return visible_or_404(request, queryset.annotate(**risk_annotations()), pk=pk)


@require_GET
@vary_on_headers("HX-Request")
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _detailed(request, pk)
    template = "opportunities/opportunity_detail.html"
    if is_fragment(request):
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
def quick_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
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
            if is_fragment(request):
                context |= _detail_context(request, _detailed(request, pk))
                return render(request, "opportunities/opportunity_detail.html#updated", context)
            messages.success(request, _("Saved."))
            return redirect(opportunity)
    context["quick_form"] = form
    template = "opportunities/opportunity_detail.html"
    if is_fragment(request):
        template += "#quick-form"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def create(request: HtmxHttpRequest) -> HttpResponse:
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
    if is_fragment(request) and request.htmx.target == "contact-field":
        return render(request, "opportunities/opportunity_form.html#contact-field", {"form": form})
    if request.method == "POST" and form.is_valid():
        values = form.changes()
        stage = values.pop("stage")
        values.pop("pipeline")
        if values.get("probability") is None:
            values.pop("probability")
        else:
            values["probability_is_manual"] = values["probability"] != stage.probability
        opportunity = services.create_opportunity(by=request.user, stage=stage, **values)
        messages.success(request, _("%(name)s was created.") % {"name": opportunity.name})
        return redirect(opportunity)
    return render(request, "opportunities/opportunity_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _detailed(request, pk)
    return record_delete(
        request, opportunity, _("Opportunity “%(name)s” was deleted."), "opportunities:list"
    )


@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _detailed(request, pk)
    initial = {"company": request.GET["company"]} if "company" in request.GET else None
    form = OpportunityForm(
        request.POST or None, user=request.user, instance=copy.copy(opportunity), initial=initial
    )
    context = {"opportunity": opportunity}
    if is_fragment(request) and request.htmx.target == "contact-field":
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
