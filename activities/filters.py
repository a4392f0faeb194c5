"""The activity list's filters. The FilterSet is given a queryset already scoped by
``Activity.objects.visible_to(request.user)``; its owner choices are scoped the same way."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from crm.models import User
from infra.rendering import QuickSelect


def owners_for(request):
    return User.objects.owners_seen_by(request.user)


class ActivityFilter(django_filters.FilterSet):
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=owners_for, empty_label=_("Anyone"), widget=QuickSelect
    )
    due = django_filters.ChoiceFilter(
        label=_("Due"),
        choices=[("overdue", _("Overdue")), ("today", _("Today")), ("week", _("Next 7 days"))],
        empty_label=_("Any time"),
        method="filter_due",
        widget=QuickSelect,
    )
    unassigned = django_filters.BooleanFilter(
        label=_("Unassigned"), widget=forms.CheckboxInput, method="filter_unassigned"
    )

    class Meta:
        model = Activity
        fields = ["owner", "due", "unassigned"]

    def filter_due(self, queryset, name, value):
        return queryset.due(value)

    def filter_unassigned(self, queryset, name, value):
        """Activities of nobody, or of someone no longer here: a team's to pick up."""
        if not value:
            return queryset
        return queryset.filter(Q(owner__isnull=True) | Q(owner__is_active=False))
