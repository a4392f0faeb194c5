"""What a deal's history says about it."""

import datetime

from django.utils import timezone

from opportunities.models import OpportunityChange


def fields_changed(deal) -> list[str]:
    """The field each change in the deal's history names, in alphabetical order."""
    return sorted(deal.changes.values_list("field", flat=True))


def history(deal) -> list[tuple]:
    """Each change in the deal's history, oldest first: (field, old value, new value, by whom)."""
    return list(
        deal.changes.order_by("pk").values_list(
            "field", "old_value", "new_value", "changed_by__username"
        )
    )


def pushed_back(deal, *, days: int):
    """Record in the deal's history that its close date was moved to today from ``days`` before."""
    today = timezone.localdate()
    return OpportunityChange.objects.create(
        opportunity=deal,
        field="expected_close_date",
        old_value=(today - datetime.timedelta(days=days)).isoformat(),
        new_value=today.isoformat(),
    )
