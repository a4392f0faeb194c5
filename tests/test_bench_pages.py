"""The benchmark behind docs/performance.md runs end to end on a small data set: every page it
names answers, and the table it writes lists each page for each role."""

from io import StringIO

from django.core.management import call_command


def test_bench_pages_measures_every_page_and_writes_the_table(db, tmp_path, settings):
    # Production answers plain HTTP with a redirect: the benchmark must ask for HTTPS.
    settings.SECURE_SSL_REDIRECT = True
    call_command("seed_scale", scale=0.0002, seed=7, stdout=StringIO())
    output = tmp_path / "performance.md"
    output.write_text("old table\n\n<!-- load test -->\nkept section\n")

    call_command("bench_pages", requests=1, output=str(output), stdout=StringIO())

    text = output.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    table = {tuple(cell.strip() for cell in row.strip("|").split("|")[:2]) for row in rows[1:]}
    for role in ("rep", "manager", "admin"):
        for page in (
            "My day",
            "Lead list",
            "Lead search by name",
            "Board",
            "Board, filtered",
            "Opportunity detail",
            "Dashboard",
            "Team performance",
            "Quotas",
            "Slipped deals",
        ):
            assert (page, role) in table
        for call in ("API leads", "API opportunities, changed since", "API teams"):
            assert (call, role) in table
        assert ("API report team-performance", role) in table
    assert ("Board move", "rep") in table
    assert ("Lead conversion", "rep") in table
    assert ("CSV export (all deals)", "admin") in table
    # Each page also measured cold, with the report figures retired before each request.
    assert "| Cold median (ms) | Cold p95 (ms) |" in text
    dashboard = next(row for row in rows if row.startswith("| Dashboard | admin |"))
    cold_median, cold_p95 = (float(cell) for cell in dashboard.strip("|").split("|")[4:6])
    assert cold_median > 0 and cold_p95 > 0
    # Sections written by the other scripts are kept; the old table is replaced.
    assert "kept section" in text
    assert "old table" not in text
    assert "ten million additions" in text
