"""The report pages. Each view reads its filters, asks one report function for the figures and
answers with the full page, the ``#report`` region for an htmx request, or a table as CSV
(``?format=csv&table=<name>``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from infra.report_cache import cached_figures
from reports import exports, metrics, velocity
from reports.charts import bar_chart
from reports.filters import PeriodChoice, ReportFilterForm, ReportScope


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


BLUE, GREEN, TEAL, YELLOW, GREY, RED = (
    "#0d6efd",
    "#198754",
    "#20c997",
    "#ffc107",
    "#adb5bd",
    "#dc3545",
)


def _filters(
    request: HtmxHttpRequest, default_period: str = PeriodChoice.THIS_MONTH
) -> ReportFilterForm:
    return ReportFilterForm(request.GET, user=request.user, default_period=default_period)


def _figures(name: str, scope: ReportScope, compute):
    """The report's figures, kept in the cache until the next change that can alter them
    (see ``infra.report_cache``): at scale some take the database longer than a page may."""
    key = scope.cache_key()
    if key is None:
        return compute()
    return cached_figures(name, key, compute, user=scope.user)


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


def _respond(request: HtmxHttpRequest, template: str, context: dict, tables: dict) -> HttpResponse:
    """CSV of one of ``tables`` ({name: (columns, rows)}), the report region, or the page."""
    if request.GET.get("format") == "csv":
        name = request.GET.get("table")
        if name not in tables:
            name = next(iter(tables))
        columns, rows = tables[name]
        return exports.csv_response(f"{context['report_name']}-{name}", columns, rows)
    context["tables"] = tables
    if request.htmx and not request.htmx.boosted:
        response = render(request, template + "#report", context)
        # The tabs too, out of band: their links carry the filters just chosen.
        response.content += render_to_string(
            "reports/includes/nav.html", {**context, "nav_oob": True}, request
        ).encode()
    else:
        response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    figures = _figures("dashboard", scope, lambda: _dashboard_figures(scope))
    performance = figures["performance"]
    context = {
        "report_name": "dashboard",
        "form": form,
        "scope": scope,
        **figures,
        "chart": bar_chart(
            performance["reps"],
            label="who",
            series=[("won_amount", _("Won"), GREEN), ("open_amount", _("Open"), GREY)],
        ),
    }
    slipped_deals = []
    if request.GET.get("format") == "csv" and request.GET.get("table") == "slipped":
        slipped_deals = metrics.slipped_report(scope)["deals"]
    tables = {
        "reps": (exports.PERFORMANCE_COLUMNS, performance["reps"]),
        "slipped": (exports.SLIPPED_COLUMNS, slipped_deals),
    }
    return _respond(request, "reports/dashboard.html", context, tables)


@require_GET
def pipeline(request: HtmxHttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    report = _figures("pipeline", scope, lambda: metrics.pipeline_report(scope))
    context = {
        "report_name": "pipeline",
        "form": form,
        "report": report,
        "uses_period": False,
        "chart": bar_chart(report["rows"], label="stage__name", series=[("amount", "", BLUE)]),
    }
    return _respond(
        request,
        "reports/pipeline.html",
        context,
        {"stages": (exports.PIPELINE_COLUMNS, report["rows"])},
    )


@require_GET
def forecast(request: HtmxHttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    report = _figures("forecast", scope, lambda: metrics.forecast_report(scope))
    context = {
        "report_name": "forecast",
        "form": form,
        "report": report,
        "uses_period": False,
        "chart": bar_chart(
            report["rows"],
            label=lambda row: row["period"].label,
            series=[
                ("won", _("Won"), GREEN),
                ("commit", _("Commit"), BLUE),
                ("best_case", _("Best case"), TEAL),
                ("pipeline", _("Pipeline"), GREY),
            ],
        ),
    }
    return _respond(
        request,
        "reports/forecast.html",
        context,
        {"periods": (exports.FORECAST_COLUMNS, report["rows"])},
    )


@require_GET
def team_performance(request: HtmxHttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    report = _figures("team_performance", scope, lambda: metrics.team_performance_report(scope))
    context = {
        "report_name": "team-performance",
        "form": form,
        "report": report,
        "chart": bar_chart(
            report["reps"],
            label="who",
            series=[("won_amount", _("Won"), GREEN), ("lost_amount", _("Lost"), RED)],
        ),
    }
    tables = {
        "reps": (exports.PERFORMANCE_COLUMNS, report["reps"]),
        "teams": (exports.PERFORMANCE_COLUMNS, report["teams"]),
    }
    return _respond(request, "reports/team_performance.html", context, tables)


@require_GET
def lead_funnel(request: HtmxHttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    report = _figures("lead_funnel", scope, lambda: metrics.lead_funnel_report(scope))
    totals = report["totals"]
    steps = [
        {"label": _("Leads"), "value": totals["leads"]},
        {"label": _("Qualified"), "value": totals["qualified"]},
        {"label": _("Converted"), "value": totals["converted"]},
        {"label": _("Deals won"), "value": totals["won_count"]},
    ]
    context = {
        "report_name": "lead-funnel",
        "form": form,
        "report": report,
        "chart": bar_chart(steps, label="label", series=[("value", "", BLUE)]),
    }
    return _respond(
        request,
        "reports/lead_funnel.html",
        context,
        {"sources": (exports.FUNNEL_COLUMNS, report["rows"])},
    )


@require_GET
def win_loss(request: HtmxHttpRequest) -> HttpResponse:
    form = _filters(request, PeriodChoice.THIS_QUARTER)
    scope = form.scope()
    report = _figures("win_loss", scope, lambda: metrics.win_loss_report(scope))
    context = {
        "report_name": "win-loss",
        "form": form,
        "report": report,
        "chart": bar_chart(
            report["reasons"], label="lost_reason__name", series=[("amount", "", RED)]
        ),
    }
    tables = {
        "reasons": (exports.REASON_COLUMNS, report["reasons"]),
        "competitors": (exports.COMPETITOR_COLUMNS, report["competitors"]),
        "stages": (exports.LOST_STAGE_COLUMNS, report["stages"]),
    }
    return _respond(request, "reports/win_loss.html", context, tables)


@require_GET
def velocity_view(request: HtmxHttpRequest) -> HttpResponse:
    form = _filters(request, PeriodChoice.LAST_12_MONTHS)
    scope = form.scope()
    report = _figures("velocity", scope, lambda: velocity.velocity_report(scope))
    context = {
        "report_name": "velocity",
        "form": form,
        "report": report,
        "chart": bar_chart(
            report["rows"],
            label=lambda row: row["stage"].name,
            series=[("avg_days", "", YELLOW)],
        ),
    }
    return _respond(
        request,
        "reports/velocity.html",
        context,
        {"stages": (exports.VELOCITY_COLUMNS, report["rows"])},
    )


SLIPPED_SHOWN = 100


@require_GET
def slipped(request: HtmxHttpRequest) -> HttpResponse:
    form = _filters(request)
    scope = form.scope()
    if request.GET.get("format") == "csv":
        report = metrics.slipped_report(scope)
    else:
        # The page lists the furthest pushed; an admin's month holds thousands (seconds to
        # render), which the CSV export gives in full.
        report = _figures(
            "slipped", scope, lambda: metrics.slipped_report(scope, limit=SLIPPED_SHOWN)
        )
    context = {
        "report_name": "slipped",
        "form": form,
        "report": report,
        "shown": SLIPPED_SHOWN,
        "chart": bar_chart(report["deals"][:10], label="name", series=[("days_pushed", "", RED)]),
    }
    return _respond(
        request,
        "reports/slipped.html",
        context,
        {"deals": (exports.SLIPPED_COLUMNS, report["deals"])},
    )
