"""CSV files people open in a spreadsheet: a cell must never run as a formula there."""

# What a spreadsheet reads as the start of a formula (a tab or carriage return can hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell value a spreadsheet will not run as a formula (a leading quote disarms it)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
