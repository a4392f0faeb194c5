"""Where a report's figures lead: the list of deals or leads that the figure counts, with its
filters set (``opportunities.filters.OpportunityFilter``, ``leads.filters.LeadFilter``).

Each address carries the report's scope as the list's own filters (team, rep as owner,
pipeline) and the figure's rule over the period; the list starts from ``visible_to`` as the
report does, so that it shows the records the figure counted, no more and no fewer.
"""

from urllib.parse import urlencode

from django.urls import reverse

from reports.filters import ReportScope

# The owner filter's value for records of no one (django-filter's ``null_value``).
NOBODY = "null"


class Links:
    def __init__(self, scope: ReportScope):
        self.scope = scope
        self.start, self.end = scope.start.isoformat(), scope.end.isoformat()

    def _address(self, name: str, scoped: dict, filters: dict) -> str:
        query = {key: value for key, value in {**scoped, **filters}.items() if value is not None}
        return f"{reverse(name)}?{urlencode(query)}"

    def _scoped(self) -> dict:
        scope = self.scope
        return {
            "owner": scope.rep and scope.rep.pk,
            "team": scope.team and scope.team.pk,
        }

    def deals(self, **filters) -> str:
        scoped = {**self._scoped(), "pipeline": self.scope.pipeline and self.scope.pipeline.pk}
        return self._address("opportunities:list", scoped, filters)

    def leads(self, **filters) -> str:
        # Every status: the list shows only the promising leads when it is given none.
        return self._address("leads:list", {**self._scoped(), "status": "all"}, filters)

    # The rules of the figures, over the report's period.

    def closed(self, status: str, **filters) -> str:
        """Deals won or lost (``status``) with a closed date in the period."""
        return self.deals(status=status, closed_from=self.start, closed_to=self.end, **filters)

    def won(self, **filters) -> str:
        return self.closed("won", **filters)

    def lost(self, **filters) -> str:
        return self.closed("lost", **filters)

    def open(self, **filters) -> str:
        return self.deals(status="open", **filters)

    def created(self, **filters) -> str:
        return self.deals(created_from=self.start, created_to=self.end, **filters)

    def pushed_out(self, **filters) -> str:
        return self.deals(pushed_from=self.start, pushed_to=self.end, **filters)

    def leads_received(self, **filters) -> str:
        return self.leads(created_after=self.start, created_before=self.end, **filters)

    def leads_qualified(self, **filters) -> str:
        return self.leads(qualified_after=self.start, qualified_before=self.end, **filters)

    def leads_converted(self, **filters) -> str:
        return self.leads(converted_after=self.start, converted_before=self.end, **filters)


def whose(who) -> dict:
    """The filters for a team performance row: its rep, its team, or no one ("Unassigned")."""
    if who is None:
        return {"owner": NOBODY}
    if who._meta.model_name == "team":
        return {"team": who.pk}
    return {"owner": who.pk}
