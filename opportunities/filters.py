import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.filters import SortFilter
from crm.models import Team, User
from infra.rendering import DatePicker, QuickSelect
from opportunities.models import (
    IN_FORECAST,
    ForecastCategory,
    LostReason,
    Opportunity,
    Pipeline,
    Stage,
)

DATE = DatePicker()


def owners_for(request):
    return User.objects.owners_seen_by(request.user)


def teams_for(request):
    user = request.user
    if user.is_admin:
        return Team.objects.all()
    if user.is_manager:
        return user.managed_teams.all()
    return Team.objects.filter(pk=user.team_id)


def lead_sources(request):
    # By name: the leads app stands above this one (docs/architecture.md).
    return apps.get_model("leads.LeadSource").objects.all()


class StageChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.pipeline} · {obj.name}"


class StageFilter(django_filters.ModelChoiceFilter):
    field_class = StageChoiceField


class BaseOpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=owners_for, empty_label=_("Everyone"), widget=QuickSelect
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=teams_for, empty_label=_("All teams"), widget=QuickSelect
    )
    close_from = django_filters.DateFilter(
        label=_("Closing from"), field_name="expected_close_date", lookup_expr="gte", widget=DATE
    )
    close_to = django_filters.DateFilter(
        label=_("Closing until"), field_name="expected_close_date", lookup_expr="lte", widget=DATE
    )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class BoardFilter(BaseOpportunityFilter):
    """The board's filters; the pipeline picks the columns (see ``views.board``)."""

    pipeline = django_filters.ModelChoiceFilter(
        label=_("Pipeline"), queryset=Pipeline.objects.all(), empty_label=None
    )

    class Meta:
        model = Opportunity
        fields = ["pipeline", "owner", "team", "close_from", "close_to", "q"]


class AttentionFilter(django_filters.FilterSet):
    """The deals a badge flags, and those nobody here owns: what My day's sections count."""

    badge = django_filters.ChoiceFilter(
        label=_("Badge"),
        choices=[
            ("overdue", _("Overdue")),
            ("no_next_step", _("No next step")),
            ("stale", _("Stale")),
            # My day's stale deals: a stale deal without a next step is listed under those.
            ("stale_planned", _("Stale, with a step planned")),
        ],
        empty_label=_("Any badge"),
        method="filter_badge",
    )
    unassigned = django_filters.BooleanFilter(
        label=_("Unassigned"), widget=forms.CheckboxInput, method="filter_unassigned"
    )

    def filter_badge(self, queryset, name, value):
        flags = {
            "overdue": {"has_overdue": True},
            "no_next_step": {"needs_next_step": True},
            "stale": {"is_stale": True},
            "stale_planned": {"is_stale": True, "needs_next_step": False},
        }
        return queryset.with_activity_badges().filter(**flags[value])

    def filter_unassigned(self, queryset, name, value):
        """Deals of nobody, or of someone no longer here: a team's to pick up."""
        if not value:
            return queryset
        return queryset.filter(Q(owner__isnull=True) | Q(owner__is_active=False))


class OpportunityFilter(BaseOpportunityFilter, AttentionFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Opportunity.Status.choices, empty_label=_("Any status")
    )
    pipeline = django_filters.ModelChoiceFilter(
        label=_("Pipeline"), queryset=Pipeline.objects.all(), empty_label=_("All pipelines")
    )
    stage = StageFilter(
        label=_("Stage"),
        queryset=Stage.objects.select_related("pipeline"),
        empty_label=_("All stages"),
        widget=QuickSelect,
    )
    amount_min = django_filters.NumberFilter(
        label=_("Amount from"), field_name="amount", lookup_expr="gte"
    )
    amount_max = django_filters.NumberFilter(
        label=_("Amount up to"), field_name="amount", lookup_expr="lte"
    )
    # The filters the reports' figures link with (see ``shown_fields``); the owner and team
    # count records as the reports do (``OwnedQuerySet.of_team``).
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=owners_for, empty_label=_("Everyone"), null_label=_("Nobody"),
        widget=QuickSelect,
    )  # fmt: skip
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=teams_for, empty_label=_("All teams"), widget=QuickSelect,
        method="filter_team",
    )  # fmt: skip
    closed_from = django_filters.DateFilter(
        label=_("Closed from"), field_name="closed_date", lookup_expr="gte", widget=DATE
    )
    closed_to = django_filters.DateFilter(
        label=_("Closed until"), field_name="closed_date", lookup_expr="lte", widget=DATE
    )
    created_from = django_filters.DateFilter(
        label=_("Created from"), field_name="created_at", lookup_expr="date__gte", widget=DATE
    )
    created_to = django_filters.DateFilter(
        label=_("Created until"), field_name="created_at", lookup_expr="date__lte", widget=DATE
    )
    forecast = django_filters.ChoiceFilter(
        label=_("Forecast category"), method="filter_forecast", empty_label=_("Any category"),
        choices=[(IN_FORECAST, _("In the forecast (not omitted)")), *ForecastCategory.choices],
    )  # fmt: skip
    lost_reason = django_filters.ModelChoiceFilter(
        label=_("Lost reason"), queryset=LostReason.objects.all(), empty_label=_("Any reason"),
        null_label=_("No reason"),
    )  # fmt: skip
    competitor = django_filters.CharFilter(label=_("Competitor"))
    from_lead = django_filters.BooleanFilter(
        label=_("From a lead"), field_name="lead", lookup_expr="isnull", exclude=True
    )
    lead_source = django_filters.ModelChoiceFilter(
        label=_("Lead source"), queryset=lead_sources, empty_label=_("Any source"),
        null_label=_("No source"), method="filter_lead_source", field_name="lead__source",
    )  # fmt: skip
    pushed_from = django_filters.DateFilter(
        label=_("Close date pushed out from"), method="filter_pushed", widget=DATE
    )
    pushed_to = django_filters.DateFilter(
        label=_("Close date pushed out until"), method="filter_pushed", widget=DATE
    )
    SHOWN_WHEN_USED = (
        "created_from", "created_to", "forecast", "lost_reason", "competitor", "from_lead",
        "lead_source", "pushed_from", "pushed_to",
    )  # fmt: skip

    def shown_fields(self):
        """The form's fields, less those of ``SHOWN_WHEN_USED`` that the query leaves empty:
        figures link to the list with them, and an unused one costs its choices' query."""
        used = {name for name, value in self.data.items() if value}
        return [f for f in self.form if f.name not in self.SHOWN_WHEN_USED or f.name in used]

    def filter_team(self, queryset, name, value):
        return queryset.of_team(value)

    def filter_forecast(self, queryset, name, value):
        return queryset.in_forecast(value)

    def filter_lead_source(self, queryset, name, value):
        source = None if value == "null" else value
        return queryset.filter(lead__isnull=False, lead__source=source)

    def filter_pushed(self, queryset, name, value):
        start = self.form.cleaned_data.get("pushed_from")
        if name == "pushed_to" and start is not None:
            return queryset  # filtered with the first day
        return queryset.pushed_out_between(start, self.form.cleaned_data.get("pushed_to"))

    sort = SortFilter(
        label=_("Sort by"),
        empty_label=_("Expected close date"),
        fields=(
            ("expected_close_date", "close"),
            ("amount", "amount"),
            ("probability", "probability"),
            ("name", "name"),
            ("created_at", "created"),
        ),
        field_labels={
            "expected_close_date": _("Close date"),
            "amount": _("Amount"),
            "probability": _("Probability"),
            "name": _("Name"),
            "created_at": _("Created"),
        },
    )

    class Meta:
        model = Opportunity
        fields = [
            "q",
            "status",
            "pipeline",
            "stage",
            "owner",
            "team",
            "close_from",
            "close_to",
            "amount_min",
            "amount_max",
        ]
