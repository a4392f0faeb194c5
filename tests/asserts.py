"""Assertions about rendered pages that read as what a user sees."""


def assert_shows(html: str, *snippets: str) -> None:
    """Every snippet is in the page; a failure names each one missing, not only the first."""
    missing = [snippet for snippet in snippets if snippet not in html]
    assert not missing, f"missing from the page: {missing}"
