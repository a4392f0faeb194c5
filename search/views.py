from django.http import HttpResponse
from django.views.decorators.http import require_GET

from infra.htmx import HtmxHttpRequest, render_region, wants_fragment
from search.results import MIN_LENGTH, search_records


@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Leads, contacts, companies and deals matching ``q``: the results page, or for the top
    bar's search box (htmx) the dropdown of the same results."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    long_enough = len(query) >= MIN_LENGTH
    # The dropdown is asked at every keystroke: it shows a few of each kind, not their number.
    dropdown = wants_fragment(request)
    groups = search_records(request, query, counted=not dropdown) if long_enough else []
    context = {
        "query": query,
        "long_enough": long_enough,
        "min_length": MIN_LENGTH,
        "groups": groups,
        "total": sum(len(group.rows) if dropdown else group.count for group in groups),
        "more": any(group.capped for group in groups),
    }
    return render_region(request, "search/search.html", "dropdown", context)
