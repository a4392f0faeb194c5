"""What a deal's history says about it."""


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
