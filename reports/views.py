"""The report pages. Each view names its report, the function that gives its figures, its chart
and its tables; ``_report`` reads the filters, asks for the figures and answers with the full
page, the ``#report`` region for an htmx request, or a table as CSV or Excel
(``?format=csv&table=<name>``, ``?format=xlsx&table=<name>``)."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from infra.htmx import HtmxHttpRequest
from infra.report_cache import cached_figures
from reports import exports, metrics, velocity
from reports.charts import Chart, bar_chart
from reports.filters import (
    ReportFilterForm,
    ReportScope,
    remember_period,
    with_remembered_period,
)

BLUE, GREEN, TEAL, YELLOW, GREY, RED = (
    "#0d6efd",
    "#198754",
    "#20c997",
    "#ffc107",
    "#adb5bd",
    "#dc3545",
)


def _figures(name: str, scope: ReportScope, compute):
    """The report's figures, kept in the cache until the next change that can alter them
    (see ``infra.report_cache``): at scale some take the database longer than a page may."""
    key = scope.cache_key()
    if key is None:
        return compute()
    return cached_figures(name, key, compute, user=scope.user)


def _wants_export(request: HtmxHttpRequest) -> bool:
    return request.GET.get("format") in exports.FORMATS


def _report(
    request: HtmxHttpRequest,
    name: str,
    figures: Callable[[ReportScope], Any],
    *,
    chart: Callable[[Any], Chart],
    tables: Callable[[Any], dict],
    cache: bool = True,
    unpack: bool = False,
    **context,
) -> HttpResponse:
    """One report: ``figures(scope)`` gives its figures (kept in the cache under ``name``
    unless ``cache`` is false), ``chart(report)`` its bar chart and ``tables(report)`` its
    tables, {name: (columns, rows)}, the first exported when ``?table=`` names none of them
    (rows may be a function of the scope instead, called for that table's CSV alone).

    The answer: the page ``reports/<name>.html``, its ``#report`` region for an htmx request,
    or a table as ``<name>-<table>.csv`` or ``.xlsx`` (dashes for underscores). The template
    gets the figures as ``report`` (with ``unpack``, a dict of several reports' figures, each
    under its own name) and ``context`` besides."""
    form = ReportFilterForm(with_remembered_period(request.GET, request.session), user=request.user)
    remember_period(form, request.session)
    scope = form.scope()
    report = _figures(name, scope, lambda: figures(scope)) if cache else figures(scope)
    context = {
        "report_name": name.replace("_", "-"),
        "form": form,
        "scope": scope,
        **(report if unpack else {"report": report}),
        "chart": chart(report),
        **context,
    }
    exported = tables(report)
    if _wants_export(request):
        table = request.GET.get("table")
        if table not in exported:
            table = next(iter(exported))
        columns, rows = exported[table]
        if callable(rows):
            rows = rows(scope)
        download = exports.FORMATS[request.GET["format"]]
        return download(f"{context['report_name']}-{table}", columns, rows)
    context["tables"] = exported
    # What report_base.html puts in the report region, after the filters.
    context["report_body"] = f"reports/{name}.html#body"
    if request.htmx and not request.htmx.boosted:
        response = render(request, "reports/report_base.html#report", context)
        # The tabs too, out of band: their links carry the filters just chosen.
        response.content += render_to_string(
            "reports/includes/nav.html", {**context, "nav_oob": True}, request
        ).encode()
    else:
        response = render(request, f"reports/{name}.html", context)
    response["Vary"] = "HX-Request"
    return response


def _dashboard_figures(scope: ReportScope) -> dict:
    """The dashboard's own figures. Those it shares with a report page (the forecast, team
    performance) are kept under that report's name, so that opening one after the other
    computes them once."""
    without_next_step = metrics.deals_without_next_step(scope)
    return {
        "forecast": _figures("forecast", scope, lambda: metrics.forecast_report(scope))["rows"][0],
        # The headline only: the deals themselves (thousands for an admin) are read for the
        # CSV export alone, not kept.
        "slipped": {"summary": metrics.slipped_summary(scope)},
        "no_next_step_count": without_next_step.count(),
        "no_next_step": list(without_next_step[:5]),
        "pipeline": metrics.pipeline_totals(scope),
        "win_loss": metrics.win_loss_summary(scope),
        "funnel": metrics.lead_funnel_totals(scope),
        "performance": _figures(
            "team_performance", scope, lambda: metrics.team_performance_report(scope)
        ),
    }


@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    return _report(
        request,
        "dashboard",
        _dashboard_figures,
        unpack=True,
        chart=lambda report: bar_chart(
            report["performance"]["reps"],
            label=lambda row: exports.who_label(row["who"]),
            series=[("won_amount", _("Won"), GREEN), ("open_amount", _("Open"), GREY)],
        ),
        tables=lambda report: {
            "reps": (exports.PERFORMANCE_COLUMNS, report["performance"]["reps"]),
            "slipped": (
                exports.SLIPPED_COLUMNS,
                lambda scope: metrics.slipped_report(scope)["deals"],
            ),
        },
    )


@require_GET
def pipeline(request: HtmxHttpRequest) -> HttpResponse:
    return _report(
        request,
        "pipeline",
        metrics.pipeline_report,
        chart=lambda report: bar_chart(
            report["rows"], label="stage__name", series=[("amount", "", BLUE)]
        ),
        tables=lambda report: {"stages": (exports.PIPELINE_COLUMNS, report["rows"])},
        uses_period=False,
    )


@require_GET
def forecast(request: HtmxHttpRequest) -> HttpResponse:
    return _report(
        request,
        "forecast",
        metrics.forecast_report,
        chart=lambda report: bar_chart(
            report["rows"],
            label=lambda row: row["period"].label,
            series=[
                ("won", _("Won"), GREEN),
                ("commit", _("Commit"), BLUE),
                ("best_case", _("Best case"), TEAL),
                ("pipeline", _("Pipeline"), GREY),
            ],
        ),
        tables=lambda report: {"periods": (exports.FORECAST_COLUMNS, report["rows"])},
        uses_period=False,
    )


@require_GET
def team_performance(request: HtmxHttpRequest) -> HttpResponse:
    return _report(
        request,
        "team_performance",
        metrics.team_performance_report,
        chart=lambda report: bar_chart(
            report["reps"],
            label=lambda row: exports.who_label(row["who"]),
            series=[("won_amount", _("Won"), GREEN), ("lost_amount", _("Lost"), RED)],
        ),
        tables=lambda report: {
            "reps": (exports.PERFORMANCE_COLUMNS, report["reps"]),
            "teams": (exports.PERFORMANCE_COLUMNS, report["teams"]),
        },
    )


def _funnel_chart(report: dict) -> Chart:
    totals = report["totals"]
    steps = [
        {"label": _("Leads"), "value": totals["leads"]},
        {"label": _("Qualified"), "value": totals["qualified"]},
        {"label": _("Converted"), "value": totals["converted"]},
        {"label": _("Deals won"), "value": totals["won_count"]},
    ]
    return bar_chart(steps, label="label", series=[("value", "", BLUE)])


@require_GET
def lead_funnel(request: HtmxHttpRequest) -> HttpResponse:
    return _report(
        request,
        "lead_funnel",
        metrics.lead_funnel_report,
        chart=_funnel_chart,
        tables=lambda report: {"sources": (exports.FUNNEL_COLUMNS, report["rows"])},
    )


@require_GET
def win_loss(request: HtmxHttpRequest) -> HttpResponse:
    return _report(
        request,
        "win_loss",
        metrics.win_loss_report,
        chart=lambda report: bar_chart(
            report["reasons"], label="lost_reason__name", series=[("amount", "", RED)]
        ),
        tables=lambda report: {
            "reasons": (exports.REASON_COLUMNS, report["reasons"]),
            "competitors": (exports.COMPETITOR_COLUMNS, report["competitors"]),
            "stages": (exports.LOST_STAGE_COLUMNS, report["stages"]),
        },
    )


@require_GET
def velocity_view(request: HtmxHttpRequest) -> HttpResponse:
    return _report(
        request,
        "velocity",
        velocity.velocity_report,
        chart=lambda report: bar_chart(
            report["rows"], label=lambda row: row["stage"].name, series=[("avg_days", "", YELLOW)]
        ),
        tables=lambda report: {"stages": (exports.VELOCITY_COLUMNS, report["rows"])},
    )


SLIPPED_SHOWN = 100


@require_GET
def slipped(request: HtmxHttpRequest) -> HttpResponse:
    export = _wants_export(request)
    return _report(
        request,
        "slipped",
        # The page lists the furthest pushed; an admin's month holds thousands (seconds to
        # render), which the CSV export gives in full.
        metrics.slipped_report if export else partial(metrics.slipped_report, limit=SLIPPED_SHOWN),
        cache=not export,
        chart=lambda report: bar_chart(
            report["deals"][:10], label="name", series=[("days_pushed", "", RED)]
        ),
        tables=lambda report: {"deals": (exports.SLIPPED_COLUMNS, report["deals"])},
        shown=SLIPPED_SHOWN,
    )
