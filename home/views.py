from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from home.my_day import build_day
from infra.htmx import HtmxHttpRequest
from mail.models import OutboundEmail


@require_GET
@vary_on_headers("HX-Request")
def home(request: HtmxHttpRequest) -> HttpResponse:
    """My day: what the signed-in rep (or a manager's team, by rep) has to do, and the emails
    of theirs that could not be sent."""
    context = {"day": build_day(request.user)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "home/home.html#day", context)
    context["failed_emails"] = list(OutboundEmail.objects.failed_for(request.user))
    return render(request, "home/home.html", context)
