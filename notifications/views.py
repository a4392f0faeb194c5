from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from infra.htmx import HtmxHttpRequest
from infra.pagination import CappedPaginator
from infra.redirects import our_path
from notifications.models import Notification
from notifications.services import mark_all_read, mark_read

PAGE_SIZE = 25


@login_required
@require_GET
def notification_list(request: HtmxHttpRequest) -> HttpResponse:
    """The user's notifications, newest first."""
    notifications = Notification.objects.filter(user=request.user).newest_first()
    page_obj = CappedPaginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page_obj": page_obj})


@login_required
@require_POST
def open_notification(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Read it, and go to what it is about. Someone else's is a 404."""
    notification = get_object_or_404(Notification, user=request.user, pk=pk)
    mark_read(notification)
    return redirect(our_path(request, notification.url, "notifications:list"))


@login_required
@require_POST
def read_all(request: HtmxHttpRequest) -> HttpResponse:
    count = mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked read."))
    return redirect("notifications:list")
