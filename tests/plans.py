"""What PostgreSQL plans for a queryset, for tests that check which index a query reads."""

from django.db import connection


def plan_of(queryset) -> str:
    """The EXPLAIN output, with sequential scans priced out as they would be over a million
    rows: the test then learns which index the planner can use, not what a tiny table costs."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
