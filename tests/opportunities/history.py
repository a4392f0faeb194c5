"""What a deal's history says about it."""


def fields_changed(deal) -> list[str]:
    """The field each change in the deal's history names, in alphabetical order."""
    return sorted(deal.changes.values_list("field", flat=True))
