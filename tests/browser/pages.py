"""Pages the browser tests visit on every run."""

# Every report, as its tab in the report navigation links to it.
REPORTS = [
    "/reports/",
    "/reports/pipeline/",
    "/reports/forecast/",
    "/reports/team/",
    "/reports/lead-funnel/",
    "/reports/win-loss/",
    "/reports/velocity/",
    "/reports/slipped/",
]
