from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Pages by a cursor, newest first: a page never repeats or skips a record when others are
    added meanwhile, and no page counts every row. The order is an indexed column
    (``?ordering=`` offers the few the lists have an index for)."""

    ordering = ("-created_at", "-pk")
    page_size_query_param = "page_size"
    max_page_size = 200
