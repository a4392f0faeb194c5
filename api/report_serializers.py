"""The report figures as the API shows them: the same rows the report pages draw
(``reports.metrics``), money in the base currency as decimal strings, rates as fractions of 1."""

from rest_framework import serializers

from reports.filters import PeriodChoice


def _money(**kwargs):
    return serializers.DecimalField(max_digits=None, decimal_places=2, **kwargs)


def _average(**kwargs):
    return serializers.FloatField(allow_null=True, **kwargs)


class ScopeSerializer(serializers.Serializer):
    """The filters in force: the period as first and last day, and what it was narrowed to."""

    start = serializers.DateField()
    end = serializers.DateField()
    team = serializers.IntegerField(source="team.pk", allow_null=True, default=None)
    rep = serializers.IntegerField(source="rep.pk", allow_null=True, default=None)
    pipeline = serializers.IntegerField(source="pipeline.pk", allow_null=True, default=None)


class PipelineFigures(serializers.Serializer):
    count = serializers.IntegerField()
    amount = _money()
    weighted = _money()
    unconverted = serializers.IntegerField()


class PipelineRow(PipelineFigures):
    stage = serializers.IntegerField()
    stage_name = serializers.CharField(source="stage__name")
    pipeline_name = serializers.CharField(source="pipeline__name")
    avg_days = _average()


class PipelineReport(serializers.Serializer):
    scope = ScopeSerializer()
    rows = PipelineRow(many=True)
    totals = PipelineFigures()


class ForecastRow(serializers.Serializer):
    period = serializers.CharField(source="period.key")
    label = serializers.CharField(source="period.label")
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    won = _money()
    commit = _money()
    best_case = _money()
    pipeline = _money()
    weighted = _money()
    expected = _money()
    upside = _money()
    open_deals = serializers.IntegerField()
    unconverted = serializers.IntegerField()


class ForecastReport(serializers.Serializer):
    scope = ScopeSerializer()
    rows = ForecastRow(many=True)


class PerformanceFigures(serializers.Serializer):
    leads_received = serializers.IntegerField()
    leads_qualified = serializers.IntegerField()
    leads_converted = serializers.IntegerField()
    created = serializers.IntegerField()
    won_count = serializers.IntegerField()
    won_amount = _money()
    lost_count = serializers.IntegerField()
    lost_amount = _money()
    win_rate = _average()
    avg_deal = _money(allow_null=True)
    avg_cycle_days = _average()
    activities_done = serializers.IntegerField()
    open_amount = _money()
    open_count = serializers.IntegerField()
    no_next_step = serializers.IntegerField()
    unconverted = serializers.IntegerField()
    # Against the row's quota for the period (reports.quotas); all null without one.
    quota = _money(allow_null=True)
    attainment = _average()
    pace = _average()
    expected = _money(allow_null=True)
    gap = _money(allow_null=True)
    deal_quota = serializers.IntegerField(allow_null=True)
    deal_attainment = _average()
    activity_quota = serializers.IntegerField(allow_null=True)
    activity_attainment = _average()


class RepPerformance(PerformanceFigures):
    """A person's row; the records of no one have theirs, with ``user`` null."""

    user = serializers.IntegerField(source="who.pk", allow_null=True, default=None)
    name = serializers.CharField(source="who", allow_null=True, default=None)


class TeamPerformance(PerformanceFigures):
    team = serializers.IntegerField(source="who.pk")
    name = serializers.CharField(source="who.name")


class TeamPerformanceReport(serializers.Serializer):
    scope = ScopeSerializer()
    # Elapsed days ÷ days of the period; null unless the period is a month or a quarter and
    # every pipeline counts (quotas are set for those).
    pace = _average()
    reps = RepPerformance(many=True)
    teams = TeamPerformance(many=True)


class WinLossSummary(serializers.Serializer):
    won_count = serializers.IntegerField()
    won_amount = _money()
    lost_count = serializers.IntegerField()
    lost_amount = _money()
    win_rate = _average()
    unconverted = serializers.IntegerField()


class LostFigures(serializers.Serializer):
    count = serializers.IntegerField()
    amount = _money()
    unconverted = serializers.IntegerField()


class LostReasonRow(LostFigures):
    reason = serializers.IntegerField(source="lost_reason", allow_null=True)
    name = serializers.CharField(source="lost_reason__name", allow_null=True)


class CompetitorRow(serializers.Serializer):
    competitor = serializers.CharField()
    lost_count = serializers.IntegerField()
    lost_amount = _money()
    won_count = serializers.IntegerField()
    won_amount = _money()
    unconverted = serializers.IntegerField()


class LostStageRow(LostFigures):
    stage = serializers.IntegerField()
    stage_name = serializers.CharField(source="stage__name")
    pipeline_name = serializers.CharField(source="pipeline__name")


class WinLossReport(serializers.Serializer):
    scope = ScopeSerializer()
    summary = WinLossSummary()
    reasons = LostReasonRow(many=True)
    competitors = CompetitorRow(many=True)
    stages = LostStageRow(many=True)


class VelocityRow(serializers.Serializer):
    stage = serializers.IntegerField(source="stage.pk")
    stage_name = serializers.CharField(source="stage.name")
    pipeline_name = serializers.CharField(source="stage.pipeline.name")
    entries = serializers.IntegerField()
    ended = serializers.IntegerField()
    avg_days = _average()
    move_on_rate = _average()
    won_deals = serializers.IntegerField()
    closed_deals = serializers.IntegerField()
    win_chance = _average()
    days_to_close = _average()


class VelocityReport(serializers.Serializer):
    scope = ScopeSerializer()
    rows = VelocityRow(many=True)


PERIODS = [choice.value for choice in PeriodChoice]
