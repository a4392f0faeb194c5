"""The form that sets a quota, and the choice of the period the quotas page shows."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crm.models import Team, User
from forecasting.models import Period, may_set_for, period_label, period_start
from infra.periods import month_start, quarter_start
from infra.rendering import QuickSelect

# The periods offered: from a little before today's to a year ahead.
MONTHS_BACK, MONTHS_AHEAD = 3, 12
QUARTERS_BACK, QUARTERS_AHEAD = 2, 4


def period_value(period: str, start: datetime.date) -> str:
    """A period as the forms and links name it: ``month:2026-12-01``, ``quarter:2026-10-01``."""
    return f"{period}:{start.isoformat()}"


def parse_period(value: str) -> tuple[str, datetime.date] | None:
    """``period_value``'s text read back; None when it names no month or quarter."""
    period, _sep, day = (value or "").partition(":")
    try:
        start = datetime.date.fromisoformat(day)
    except ValueError:
        return None
    if period not in Period.values or period_start(period, start) != start:
        return None
    return period, start


def period_choices(today: datetime.date) -> list[tuple[str, str]]:
    months = [month_start(today, shift) for shift in range(-MONTHS_BACK, MONTHS_AHEAD + 1)]
    quarters = [quarter_start(today, shift) for shift in range(-QUARTERS_BACK, QUARTERS_AHEAD + 1)]
    return [
        (
            str(_("Months")),
            [(period_value(Period.MONTH, m), period_label(Period.MONTH, m)) for m in months],
        ),
        (
            str(_("Quarters")),
            [(period_value(Period.QUARTER, q), period_label(Period.QUARTER, q)) for q in quarters],
        ),
    ]


class PeriodForm(forms.Form):
    """Which month or quarter the quotas page shows (this month unless asked)."""

    period = forms.ChoiceField(label=_("Period"), required=False, widget=QuickSelect)

    def __init__(self, data=None, *, today: datetime.date):
        # Its own ids: the quota form on the same page has a period field too.
        super().__init__(data or None, auto_id="show_%s")
        self.today = today
        self.fields["period"].choices = period_choices(today)
        self.fields["period"].initial = period_value(Period.MONTH, month_start(today))

    def chosen(self) -> tuple[str, datetime.date]:
        if self.is_bound and self.is_valid() and self.cleaned_data["period"]:
            return parse_period(self.cleaned_data["period"])
        return Period.MONTH, month_start(self.today)


class QuotaForm(forms.Form):
    """A rep's or a team's quota for a month or a quarter; the reps and teams offered are
    those ``user`` may set quotas for (``may_set_for``)."""

    # Selects written in Python (``QuickSelect``): an admin picks among some two hundred reps.
    owner = forms.ModelChoiceField(
        label=_("Rep"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No rep"),
        widget=QuickSelect,
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("No team"),
        widget=QuickSelect,
    )
    period = forms.ChoiceField(label=_("Period"), widget=QuickSelect)
    amount = forms.DecimalField(
        label=_("Amount to win"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )
    deals = forms.IntegerField(
        label=_("Deals to win"),
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text=_("Optional: how many deals won."),
    )
    activities = forms.IntegerField(
        label=_("Activities to do"),
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text=_("Optional: how many activities done."),
    )

    def __init__(self, data=None, *, user: User, today: datetime.date, initial=None):
        super().__init__(data, initial=initial)
        reps, teams = may_set_for(user)
        self.fields["owner"].queryset = reps.select_related("team").order_by(
            "first_name", "last_name", "pk"
        )
        self.fields["team"].queryset = teams.order_by("name")
        self.fields["period"].choices = period_choices(today)
        self.fields["amount"].help_text = _("Won in %(currency)s, the base currency.") % {
            "currency": settings.BASE_CURRENCY
        }
        self.fields["owner"].help_text = _("A rep or a team: a team's quota is its own.")

    def clean_period(self):
        chosen = parse_period(self.cleaned_data["period"])
        if chosen is None:  # a choice, so only a forged value gets here
            raise forms.ValidationError(_("Choose a month or a quarter."))
        return chosen

    def clean(self):
        cleaned = super().clean()
        owner, team = cleaned.get("owner"), cleaned.get("team")
        if "owner" in self.errors or "team" in self.errors:
            return cleaned
        if owner is None and team is None:
            self.add_error("owner", _("Choose a rep or a team."))
        elif owner is not None and team is not None:
            self.add_error("team", _("Choose a rep or a team, not both."))
        return cleaned
