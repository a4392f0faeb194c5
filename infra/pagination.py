"""A paginator for long lists that counts only as far as it needs to."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

# Past any real table: a page number beyond this counts every row instead.
_FARTHEST = 10**12


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows, or as far as the page asked for if that is farther.

    Counting every match of a list is the slowest part of its page on a large table (a
    COUNT(*) over hundreds of thousands of leads), and nobody needs more than "more than
    1,000". The count reads at most ``reach + 1`` rows (``SELECT COUNT(*) FROM (... LIMIT n)``):
    when it finds them all, ``more`` is true and the page says "of more than ``reach``". The
    page asked for always lies within ``reach``, so the next page is offered whenever there is
    one, and paging on past the cap moves the cap with it.
    """

    cap = 1000

    def __init__(self, object_list, per_page, *, cap: int | None = None, ids_first=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if cap is not None:
            self.cap = cap
        self.reach = self.cap
        self.ids_first = ids_first

    def validate_number(self, number):
        if "count" not in self.__dict__:  # the count is not taken yet: reach the page asked for
            try:
                asked = int(number)
            except (TypeError, ValueError):
                asked = 1
            self.reach = max(self.cap, min(asked, _FARTHEST) * self.per_page)
        return super().validate_number(number)

    # The ids of the rows within reach, in the list's order (a queryset's, see ``count``).
    _ids: list | None = None

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``reach + 1`` if there are more than ``reach``.

        A queryset's rows are counted without their order (``SELECT COUNT(*) FROM (... LIMIT
        n)``). With ``ids_first``, one query reads instead the ids of the rows within reach in
        the list's order: the count is their number and the page is read by its ids. A list
        whose search combines trigram indexes over several columns and tables (contacts,
        companies) then finds and orders its matches once, not once to count them and again
        for the page. Where the order is read from an index (leads, newest first), counting
        apart is cheaper: ordering a thousand ids costs more than counting them.
        """
        limit = self.reach + 1
        if isinstance(self.object_list, QuerySet):
            rows = self.object_list
            if self.ids_first and not rows.query.distinct:
                # Not the annotations, which only the page shows (unless the order needs one).
                self._ids = list(rows.values_list("pk", flat=True)[:limit])
                return len(self._ids)
            rows = rows.order_by()
            if not rows.query.distinct:
                rows = rows.values("pk")  # not the annotations, which only the page shows
            return rows[:limit].count()
        return min(len(self.object_list), limit)

    def page(self, number):
        number = self.validate_number(number)
        if self._ids is None:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list.filter(pk__in=self._ids[bottom:top])
        return self._get_page(rows, number, self)

    @property
    def more(self) -> bool:
        """There are more rows than ``reach``: the count stopped there."""
        return self.count > self.reach

    @property
    def pages_reached(self) -> int:
        """Whole pages within ``reach``: with ``more``, there are more pages than this."""
        return self.reach // self.per_page
