"""The pages' own FilterSets, over the API: the same filters, the same scoped choices."""

import inspect

import django_filters
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from activities.models import Activity
from infra.ids import IdField


class PageFilters(DjangoFilterBackend):
    """A FilterSet is given what its page gives it: the request, and the user where it asks
    for one (``LeadFilter``)."""

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        if "user" in inspect.signature(filterset_class.__init__).parameters:
            kwargs["user"] = request.user
        return filterset_class(**kwargs)


def without_sort(filterset: type[django_filters.FilterSet]) -> type[django_filters.FilterSet]:
    """The page's FilterSet without its sort: the list's sorts include columns no index holds,
    and a cursor needs an order it can resume from (``?ordering=``)."""
    api_filterset = type(filterset.__name__, (filterset,), {"Meta": filterset.Meta})
    api_filterset.base_filters.pop("sort", None)
    return api_filterset


class UpdatedSince(BaseFilterBackend):
    """``?updated_since=2026-01-31T09:00:00Z``: the records changed since then, to sync."""

    param = "updated_since"

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get(self.param)
        if not value:
            return queryset
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            message = _("Give a date and time such as 2026-01-31T09:00:00Z.")
            raise ValidationError({self.param: [message]})
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return queryset.filter(updated_at__gte=moment)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Only the records changed since this moment (ISO 8601).",
                "schema": {"type": "string", "format": "date-time"},
            },
            {
                "name": "fields",
                "required": False,
                "in": "query",
                "description": "Only these fields of each record, separated by commas.",
                "schema": {"type": "string"},
            },
        ]


class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number an id can be (not 1.5, not 10^308), else a 400."""

    field_class = IdField


class ActivityFilter(django_filters.FilterSet):
    """The activities have no list page of their own: these are the filters an integration
    asks for (what is about a record, what is still to do)."""

    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices)
    pending = django_filters.BooleanFilter(method="filter_pending")
    lead = IdFilter(field_name="lead_id")
    opportunity = IdFilter(field_name="opportunity_id")
    contact = IdFilter(field_name="contact_id")
    company = IdFilter(field_name="company_id")

    class Meta:
        model = Activity
        fields = ["kind", "pending", "lead", "opportunity", "contact", "company"]

    def filter_pending(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.pending() if value else queryset.exclude(pk__in=queryset.pending())
