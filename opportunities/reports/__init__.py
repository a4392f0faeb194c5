"""Reports on deals, leads and activities: every figure is computed by the database.

``filters`` turns the request into a scoped ``ReportScope``; ``metrics`` and ``velocity`` hold one
function per report; ``currency`` converts amounts into the base currency in SQL.
"""
