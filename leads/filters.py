import datetime
import re

import django_filters
from django import forms
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from crm.filters import SortFilter
from crm.matching import normalize_email, strip_phone
from crm.models import Team, User
from infra.folding import contains_folded, fold
from infra.rendering import DatePicker, QuickSelect
from leads.models import Lead, LeadSource

PROMISING = ""
# Something before and after the @: an address, not a part of one such as "@acme.com".
WHOLE_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ALL = "all"


def teams_visible_to(user: User):
    if user.is_admin:
        return Team.objects.all()
    if user.is_manager:
        return Team.objects.filter(Q(pk__in=user.managed_teams.values("pk")) | Q(pk=user.team_id))
    return Team.objects.filter(pk=user.team_id)


def _day_filter(label, field_name=None, lookup_expr="exact", **options):
    """A filter by a day, picked in the browser's date picker (local days)."""
    return django_filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup_expr,
        widget=DatePicker(),
        **options,
    )


class FollowUpFilter(django_filters.FilterSet):
    """New leads nobody has touched yet, and leads nobody here owns: what My day counts."""

    untouched = django_filters.BooleanFilter(
        label=_("Not yet contacted"), widget=forms.CheckboxInput, method="filter_untouched"
    )
    unassigned = django_filters.BooleanFilter(
        label=_("Unassigned"), widget=forms.CheckboxInput, method="filter_unassigned"
    )

    def filter_untouched(self, queryset, name, value):
        """No activity of any kind about them yet."""
        if not value:
            return queryset
        return queryset.filter(~Exists(Activity.objects.filter(lead=OuterRef("pk"))))

    def filter_unassigned(self, queryset, name, value):
        """Leads of nobody, or of someone no longer here: a team's to pick up."""
        if not value:
            return queryset
        return queryset.filter(Q(owner__isnull=True) | Q(owner__is_active=False))


class LeadFilter(FollowUpFilter):
    """The list's filters. With no status chosen it shows the promising leads only."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ALL, _("All statuses")), *Lead.Status.choices],
        empty_label=_("Promising (new, working, qualified)"),
        method="filter_status",
        widget=QuickSelect,
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"),
        queryset=LeadSource.objects.all(),
        empty_label=_("Any source"),
        null_label=_("No source"),
        widget=QuickSelect,
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=User.objects.none(),
        empty_label=_("Anyone"),
        null_label=_("Nobody"),
        widget=QuickSelect,
    )
    # Counted as the reports count them (``OwnedQuerySet.of_team``).
    team = django_filters.ModelChoiceFilter(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=_("Any team"),
        widget=QuickSelect,
        method="filter_team",
    )
    created_after = _day_filter(_("Created from"), "created_at", "date__gte")
    created_before = _day_filter(_("Created until"), "created_at", "date__lte")
    # A lead counts as qualified on the day it was moved to Qualified, as in the reports.
    qualified_after = _day_filter(_("Qualified from"), method="filter_qualified")
    qualified_before = _day_filter(_("Qualified until"), method="filter_qualified")
    converted_after = _day_filter(_("Converted from"), "conversion__converted_at", "date__gte")
    converted_before = _day_filter(_("Converted until"), "conversion__converted_at", "date__lte")
    sort = SortFilter(
        label=_("Sort"),
        fields=(
            ("created_at", "created"),
            ("last_name", "name"),
            ("company_name", "company"),
            ("status", "status"),
        ),
        empty_label=None,
    )

    class Meta:
        model = Lead
        fields = ["q", "status", "source", "owner", "team", "created_after", "created_before"]

    def __init__(self, data=None, *args, user: User, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["owner"].queryset = User.objects.owners_seen_by(user)
        self.filters["team"].queryset = teams_visible_to(user)

    @property
    def qs(self):
        queryset = super().qs
        if self.is_bound and not self.form.is_valid():
            # Bad values in the URL: show the default view rather than an error page.
            queryset = self.queryset.promising()
        return queryset

    def filter_team(self, queryset, name, value):
        return queryset.of_team(value)

    def filter_qualified(self, queryset, name, value):
        start = self.form.cleaned_data.get("qualified_after")
        if name == "qualified_before" and start is not None:
            return queryset  # filtered with the first day
        return queryset.qualified_between(start, self.form.cleaned_data.get("qualified_before"))

    def filter_status(self, queryset, name, value):
        if value == ALL:
            return queryset
        return queryset.filter(status=value)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.promising()
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        """Every word must appear in the name, company, email or phone; a whole email address
        must be the lead's email. Names match whatever their case and accents
        (``infra.folding``).

        On PostgreSQL trigram indexes serve the "appears in" part (the folded names' are the
        search app's 0002 migration) and the btree on the normalised email the whole address
        (see the 0005 migration).
        """
        for word in value.split()[:5]:
            if WHOLE_EMAIL.fullmatch(word):
                queryset = queryset.filter(email_normalized=normalize_email(word))
                continue
            match = (
                contains_folded("first_name", word)
                | contains_folded("last_name", word)
                | contains_folded("company_name", word)
                | Q(email_normalized__icontains=fold(word))
            )
            if len(digits := strip_phone(word)) >= 3 and digits.isdigit():
                match |= Q(phone_normalized__contains=digits)
            queryset = queryset.filter(match)
        if self.user.is_admin:
            # No scope: PostgreSQL estimates well how far back the 25 newest matches lie.
            return queryset
        # Newest first as usual, but by an expression no index holds: otherwise PostgreSQL
        # walks the created_at index backwards, testing every lead against the scope and the
        # words, to find the first 25 matches (1.4 s for a manager over a million leads: it
        # cannot tell that few leads are both theirs and a match), instead of sorting the few
        # hundred that the indexes find. A sort chosen in the list replaces this one.
        created = ExpressionWrapper(
            F("created_at") + datetime.timedelta(0), output_field=DateTimeField()
        )
        return queryset.order_by(created.desc(), "-pk")
