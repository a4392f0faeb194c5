"""The report pages. Each view names its report, the function that gives its figures and the
one that lays out its chart and tables (``reports.pages``); ``_report`` reads the filters, asks
for the figures and answers with the full page, the ``#report`` region for an htmx request, or
a table as CSV or Excel (``?format=csv&table=<name>``, ``?format=xlsx&table=<name>``)."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from crm.security_log import exported_rows
from infra.htmx import HtmxHttpRequest
from reports import calibration as calibration_figures
from reports import exports, metrics, pages, velocity
from reports.figures import figures_for
from reports.filters import (
    ReportFilterForm,
    ReportScope,
    remember_period,
    with_remembered_period,
)
from reports.links import Links


def _wants_export(request: HtmxHttpRequest) -> bool:
    return request.GET.get("format") in exports.FORMATS


def _report(
    request: HtmxHttpRequest,
    name: str,
    figures: Callable[[ReportScope], Any],
    page: Callable[[Any, Links], pages.Page],
    *,
    cache: bool = True,
    unpack: bool = False,
    **context,
) -> HttpResponse:
    """One report: ``figures(scope)`` gives its figures (kept in the cache under ``name``
    unless ``cache`` is false), ``page(report, links)`` its chart and tables (``reports.pages``),
    the first table exported when ``?table=`` names none of them.

    The answer: the page ``reports/<name>.html``, its ``#report`` region for an htmx request,
    or a table as ``<name>-<table>.csv`` or ``.xlsx`` (dashes for underscores). The template
    gets the figures as ``report`` (with ``unpack``, a dict of several reports' figures, each
    under its own name), the chart, the tables by name, and ``context`` besides."""
    form = ReportFilterForm(with_remembered_period(request.GET, request.session), user=request.user)
    remember_period(form, request.session)
    scope = form.scope()
    report = figures_for(name, scope, lambda: figures(scope)) if cache else figures(scope)
    links = Links(scope)
    shown = page(report, links)
    tables = {table.name: table for table in shown.tables}
    report_name = name.replace("_", "-")
    if _wants_export(request):
        table = tables.get(request.GET.get("table")) or shown.tables[0]
        rows = table.rows if table.export_rows is None else table.export_rows(scope)
        export_format = request.GET["format"]
        rows = exported_rows(
            rows, request=request, what=f"reports/{report_name}-{table.name}.{export_format}"
        )
        download = exports.FORMATS[export_format]
        return download(f"{report_name}-{table.name}", table.export, rows)
    context = {
        "report_name": report_name,
        "form": form,
        "scope": scope,
        **(report if unpack else {"report": report}),
        "chart": shown.chart,
        "tables": tables,
        "links": links,
        # What report_base.html puts in the report region, after the filters.
        "report_body": f"reports/{name}.html#body",
        **context,
    }
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
        "forecast": figures_for("forecast", scope, lambda: metrics.forecast_report(scope))["rows"][
            0
        ],
        # The headline only: the deals themselves (thousands for an admin) are read for the
        # CSV export alone, not kept.
        "slipped": {"summary": metrics.slipped_summary(scope)},
        "no_next_step_count": without_next_step.count(),
        "no_next_step": list(without_next_step[:5]),
        "pipeline": metrics.pipeline_totals(scope),
        "win_loss": metrics.win_loss_summary(scope),
        "funnel": metrics.lead_funnel_totals(scope),
        "performance": figures_for(
            "team_performance", scope, lambda: metrics.team_performance_report(scope)
        ),
    }


@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    return _report(request, "dashboard", _dashboard_figures, pages.dashboard, unpack=True)


@require_GET
def pipeline(request: HtmxHttpRequest) -> HttpResponse:
    return _report(request, "pipeline", metrics.pipeline_report, pages.pipeline, uses_period=False)


@require_GET
def forecast(request: HtmxHttpRequest) -> HttpResponse:
    return _report(request, "forecast", metrics.forecast_report, pages.forecast, uses_period=False)


@require_GET
def team_performance(request: HtmxHttpRequest) -> HttpResponse:
    return _report(
        request, "team_performance", metrics.team_performance_report, pages.team_performance
    )


@require_GET
def lead_funnel(request: HtmxHttpRequest) -> HttpResponse:
    return _report(request, "lead_funnel", metrics.lead_funnel_report, pages.lead_funnel)


@require_GET
def win_loss(request: HtmxHttpRequest) -> HttpResponse:
    return _report(request, "win_loss", metrics.win_loss_report, pages.win_loss)


@require_GET
def velocity_view(request: HtmxHttpRequest) -> HttpResponse:
    return _report(request, "velocity", velocity.velocity_report, pages.velocity)


@require_GET
def calibration(request: HtmxHttpRequest) -> HttpResponse:
    return _report(
        request,
        "calibration",
        calibration_figures.calibration_report,
        pages.calibration,
        uses_period=False,
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
        pages.slipped,
        cache=not export,
        shown=SLIPPED_SHOWN,
    )
