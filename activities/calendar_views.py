"""The calendar: a user's private feed (no login, the address is the key), the page where
they make or stop that address, and the "Add to calendar" file of one activity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import calendar
from activities.models import Activity, CalendarFeed
from activities.services import renew_calendar_feed, revoke_calendar_feed
from crm.security_log import visible_or_404

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _ics(content: bytes, *, filename: str = "") -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    # The feed is someone's diary behind a secret address: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's activities as a calendar to subscribe to. Calendar apps cannot log in: the
    token in the address is the key; an unknown or revoked one is a 404."""
    subscription = CalendarFeed.objects.for_token(token).first()
    if subscription is None:
        raise Http404
    user = subscription.user
    with translation.override(user.language or translation.get_language()):
        content = calendar.feed(user, request=request)
    return _ics(content)


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """One dated activity as a file that adds it to a calendar."""
    activities = Activity.objects.exclude(kind=Activity.Kind.NOTE).filter(due_date__isnull=False)
    activity = visible_or_404(request, activities.with_subjects(), pk=pk)
    return _ics(calendar.download(activity, request=request), filename=f"activity-{pk}.ics")


@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """The user's calendar address. It is stored only as a hash, so the address is shown on
    the page that answers "New address", once; a new one stops the old one."""
    address = None
    if request.method == "POST":
        created = renew_calendar_feed(user=request.user)
        path = reverse("calendar:feed", args=[created.token])
        address = request.build_absolute_uri(path)
    context = {
        "active": CalendarFeed.objects.filter(user=request.user).active().first(),
        "address": address,
        "webcal": address and "webcal://" + address.split("://", 1)[1],
    }
    return render(request, "activities/calendar_feed.html", context)


@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    if revoke_calendar_feed(user=request.user):
        messages.success(request, _("Your calendar address no longer works."))
    return redirect("activities:calendar_feed")
