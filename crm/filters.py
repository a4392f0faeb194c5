"""Filters for the company and contact lists. Every FilterSet is given a queryset that already
went through ``visible_to(request.user)``; the choices it offers are scoped the same way."""

import datetime

import django_filters
from django import forms
from django.db import connection
from django.db.models import CharField, F, Func, Q, Subquery
from django.forms.utils import pretty_name
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import DateRangeWidget

from crm.matching import normalize_domain, strip_phone
from crm.models import Company, Contact, Team, User
from crm.models.scoping import InSubquery
from infra.folding import contains_folded, fold
from infra.ids import parse_id
from infra.rendering import QuickSelect


def teams_for(user):
    """The teams whose records ``user`` may see: all for an admin, the teams a manager runs."""
    if user.is_admin:
        return Team.objects.all()
    if user.is_manager:
        return Team.objects.filter(manager=user)
    return Team.objects.filter(pk=user.team_id)


def _owners(request):
    return User.objects.owners_seen_by(request.user)


def _teams(request):
    return teams_for(request.user)


def _companies(request):
    return Company.objects.visible_to(request.user).only("pk", "name")


class SortFilter(django_filters.OrderingFilter):
    """Sorts by a whitelisted key; the primary key breaks ties so that pages never overlap.

    Its choices are built once, when the filter set class is defined: the "descending" label is
    kept lazy so that each request shows it in its own language.
    """

    def build_choices(self, fields, labels):
        ascending = [
            (param, labels.get(field, _(pretty_name(param)))) for field, param in fields.items()
        ]
        descending = [
            (f"-{param}", labels.get(f"-{param}", format_lazy(_("{} (descending)"), label)))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


def _search(placeholder):
    return django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
    )


class Unindexed(Func):
    """``value || ''``: sorts as ``value`` does, by an expression that no index holds."""

    template = "(%(expressions)s || '')"
    output_field = CharField()


def _words(value: str) -> list[str]:
    return value.split()[:5]


class DatePickers(DateRangeWidget):
    """Two date pickers, each with its own accessible name."""

    def __init__(self):
        super().__init__(attrs={"type": "date"})
        for widget in self.widgets:  # ISO whatever the language (see DatePicker)
            widget.format = "%Y-%m-%d"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(
            context["widget"]["subwidgets"], [_("From"), _("To")], strict=True
        ):
            subwidget["attrs"]["aria-label"] = label
        return context


class DateRange(django_filters.DateFromToRangeFilter):
    """``<name>_after`` and ``<name>_before``, as two date pickers. The calendar's first and
    last days (which the pickers offer) are read as the day after and the day before: their
    local midnight, away from UTC, lies outside what a datetime can hold, and no record is
    dated then."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DatePickers())
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value:
            value = slice(_within_calendar(value.start), _within_calendar(value.stop))
        return super().filter(qs, value)


def _within_calendar(moment: datetime.datetime | None) -> datetime.datetime | None:
    """``moment`` (a local time, as the range's field makes it) moved off the calendar's
    first and last days."""
    if moment is None:
        return None
    local = min(max(moment.replace(tzinfo=None), EARLIEST), LATEST)
    return local.replace(tzinfo=moment.tzinfo)


# A day away from the ends of what a datetime holds, in any time zone (see DateRange).
EARLIEST = datetime.datetime.combine(datetime.date(1, 1, 2), datetime.time.min)
LATEST = datetime.datetime.combine(datetime.date(9999, 12, 30), datetime.time.max)


def industries_visible_to(user) -> list[str]:
    """The industries of the companies ``user`` sees, in order, without the empty one."""
    if not user.is_admin:
        # From the visible companies themselves: the list's queryset carries annotations.
        return list(
            Company.objects.visible_to(user)
            .exclude(industry="")
            .order_by("industry")
            .values_list("industry", flat=True)
            .distinct()
        )
    # Every company: the few industries are read by skipping through the industry index, one
    # probe per industry (a loose index scan), rather than reading all 100,000 companies to find
    # seven (70 ms). MIN keeps it one statement on SQLite as well as PostgreSQL.
    quote = connection.ops.quote_name
    table = quote(Company._meta.db_table)
    column = quote(Company._meta.get_field("industry").column)
    # Live companies only, as the default manager reads them.
    live = quote(Company._meta.get_field("deleted_at").column) + " IS NULL"
    sql = (
        f"WITH RECURSIVE industries(name) AS ("
        f"SELECT MIN({column}) FROM {table} WHERE {column} > '' AND {live} "
        f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} "
        f"WHERE {column} > industries.name AND {live}) "
        f"FROM industries WHERE industries.name IS NOT NULL"
        f") SELECT name FROM industries WHERE name IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [name for (name,) in cursor.fetchall()]


class CompanyFilter(django_filters.FilterSet):
    q = _search(_("Name, domain or phone"))
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=_owners, empty_label=_("Any owner"), widget=QuickSelect
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=_teams, empty_label=_("Any team"), widget=QuickSelect
    )
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), empty_label=_("Any industry"), widget=QuickSelect
    )
    created = DateRange(field_name="created_at", label=_("Created between"))
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("industry", "industry"),
            ("owner__first_name", "owner"),
            ("contact_count", "contacts"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = Company
        fields = ["q", "owner", "team", "industry", "created"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.filters["industry"].extra["choices"] = lambda: [
            (name, name) for name in industries_visible_to(user)
        ]

    def search(self, queryset, name, value):
        """Every word must appear in the name, website, email domain or phone, whatever the
        case and accents (``infra.folding``; the folded name has its trigram index)."""
        for word in _words(value):
            condition = (
                contains_folded("name", word)
                | Q(website__icontains=fold(word))
                | Q(domain_normalized__icontains=normalize_domain(fold(word)))
            )
            if any(char.isdigit() for char in word):
                condition |= Q(phone_normalized__icontains=strip_phone(word))
            queryset = queryset.filter(condition)
        # By name, but not along the name index: see ContactFilter.search. A chosen sort
        # replaces this one.
        return queryset.order_by(Unindexed("name"), "pk")


class BoundedSelect(QuickSelect):
    """A select of a model choice that lists every record only when there are few of them.

    With more than ``max_options``, it offers "any" and the chosen record only: listing every
    visible company would put 100,000 options in an administrator's contact list (5 MB of
    HTML, 9 s). One query either way (the first ``max_options + 1`` records); a large list is
    reached with a company already chosen, from the company's page, and searching by company
    name is what the search box is for.
    """

    max_options = 200

    def optgroups(self, name, value, attrs=None):
        iterator = self.choices  # a ModelChoiceIterator: its field and queryset
        records = list(iterator.queryset[: self.max_options + 1])
        chosen = next((str(v) for v in value if v), "")
        if len(records) > self.max_options:
            records = [r for r in records if str(r.pk) == chosen]
            if parse_id(chosen) is not None and not records:
                records = list(iterator.queryset.filter(pk=chosen)[:1])
        options = [self.create_option(name, "", iterator.field.empty_label, not chosen, 0)]
        for index, record in enumerate(records, start=1):
            label = iterator.field.label_from_instance(record)
            options.append(
                self.create_option(name, record.pk, label, str(record.pk) == chosen, index)
            )
        return [(None, [option], index) for index, option in enumerate(options)]


class ContactFilter(django_filters.FilterSet):
    q = _search(_("Name, email, phone or company"))
    company = django_filters.ModelChoiceFilter(
        label=_("Company"),
        queryset=_companies,
        empty_label=_("Any company"),
        widget=BoundedSelect,
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=_owners, empty_label=_("Any owner"), widget=QuickSelect
    )
    created = DateRange(field_name="created_at", label=_("Created between"))
    sort = SortFilter(
        fields=(
            ("last_name", "name"),
            ("company__name", "company"),
            ("email", "email"),
            ("owner__first_name", "owner"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = Contact
        fields = ["q", "company", "owner", "created"]

    def search(self, queryset, name, value):
        """Every word must appear in the name, email, phone, job title or company name,
        whatever the case and accents (``infra.folding``).

        The companies whose name matches are found first, on their own: ``company_id =
        ANY(ARRAY(...))`` on PostgreSQL (``InSubquery``), so that the OR over the contact's own
        columns reads their trigram indexes (crm migration 0004) and the company index in one
        bitmap and fetches only the matching rows. The contacts stay those of the user's
        scope; their company's name is matched as the list shows it beside each contact. A
        join to the company inside the OR would read every contact.
        """
        for word in _words(value):
            companies = Subquery(
                Company.objects.filter(contains_folded("name", word)).order_by().values("pk")
            )
            condition = (
                contains_folded("first_name", word)
                | contains_folded("last_name", word)
                | Q(email_normalized__icontains=fold(word))
                | contains_folded("job_title", word)
                | Q(InSubquery(F("company"), companies))
            )
            if any(char.isdigit() for char in word):
                condition |= Q(phone_normalized__icontains=strip_phone(word))
            queryset = queryset.filter(condition)
        # By name as usual, but by an expression no index holds: otherwise PostgreSQL may walk
        # the name index, testing every contact against the words, to find the first 25
        # matches (0.4 s over 300,000 contacts for "Iglesias", whose matches lie together far
        # down that index), instead of sorting the few thousand the indexes find. A sort
        # chosen in the list replaces this one.
        return queryset.order_by(Unindexed("last_name"), "first_name", "pk")
