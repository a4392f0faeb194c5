"""The report figures, read-only: each computed by the function its report page calls
(``reports.metrics``, ``reports.velocity``), for the scope the page's filter form gives
(``ReportFilterForm``: a rep's own numbers, a manager's teams, an admin's everything) and kept
in the same cache, so that the page and the API say the same. A filter the form refuses is a
400 with its message, where the page shows it beside the field."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import report_serializers as shown
from api.serializers import form_errors
from api.views.base import ApiViewSet
from reports import metrics, velocity
from reports.figures import figures_for
from reports.filters import ReportFilterForm, ReportScope

PERIOD = OpenApiParameter(
    "period",
    str,
    enum=shown.PERIODS,
    description="The period the figures cover (this month unless given); `custom` takes "
    "`start` and `end`.",
)
DATES = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day of a custom period."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day of a custom period."),
]
NARROWING = [
    OpenApiParameter("team", int, description="One of the teams you see (managers, admins)."),
    OpenApiParameter("rep", int, description="One of the people you see (managers, admins)."),
    OpenApiParameter("pipeline", int, description="One pipeline."),
]


def _report_schema(serializer, *, uses_period: bool = True):
    parameters = [PERIOD, *DATES, *NARROWING] if uses_period else NARROWING
    return extend_schema(parameters=parameters, responses=serializer)


class ReportViewSet(ApiViewSet):
    """Reports are figures, not records: no list, no id, no cursor."""

    pagination_class = None
    filter_backends = []
    http_method_names = ["get", "head", "options"]

    def scope(self) -> ReportScope:
        form = ReportFilterForm(self.request.query_params, user=self.request.user)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form_errors(form))
        return form.scope()

    def figures(self, name: str, compute, serializer) -> Response:
        scope = self.scope()
        report = figures_for(name, scope, lambda: compute(scope))
        return Response(serializer({"scope": scope, **report}).data)

    @_report_schema(shown.PipelineReport, uses_period=False)
    @action(detail=False)
    def pipeline(self, request):
        """Open deals by stage, as they stand now (the period does not apply)."""
        return self.figures("pipeline", metrics.pipeline_report, shown.PipelineReport)

    @_report_schema(shown.ForecastReport, uses_period=False)
    @action(detail=False)
    def forecast(self, request):
        """Won, commit, best case, pipeline and weighted amounts for this and next month and
        quarter."""
        return self.figures("forecast", metrics.forecast_report, shown.ForecastReport)

    @_report_schema(shown.TeamPerformanceReport)
    @action(detail=False, url_path="team-performance")
    def team_performance(self, request):
        """Per rep and per team, over the period."""
        return self.figures(
            "team_performance", metrics.team_performance_report, shown.TeamPerformanceReport
        )

    @_report_schema(shown.WinLossReport)
    @action(detail=False, url_path="win-loss")
    def win_loss(self, request):
        """Deals closed in the period: won and lost, lost reasons, competitors, stages."""
        return self.figures("win_loss", metrics.win_loss_report, shown.WinLossReport)

    @_report_schema(shown.VelocityReport)
    @action(detail=False)
    def velocity(self, request):
        """Per stage, over the stays that began in the period."""
        return self.figures("velocity", velocity.velocity_report, shown.VelocityReport)
