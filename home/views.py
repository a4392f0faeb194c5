from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from home.my_day import build_day
from infra.htmx import HtmxHttpRequest
from mail.models import OutboundEmail
from reports.quota_progress import own_quota_progress


@require_GET
@vary_on_headers("HX-Request")
def home(request: HtmxHttpRequest) -> HttpResponse:
    """My day: what the signed-in rep (or a manager's team, by rep) has to do, and the emails
    of theirs that could not be sent."""
    context = {"day": build_day(request.user)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "home/home.html#day", context)
    context["failed_emails"] = list(OutboundEmail.objects.failed_for(request.user))
    # Above the day, on the full page only: the day's region is what htmx asks for again.
    context["quotas"] = own_quota_progress(request.user, today=context["day"].date)
    return render(request, "home/home.html", context)
