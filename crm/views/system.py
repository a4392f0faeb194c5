from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.forms import ProfileForm
from crm.security_log import Kind, record
from infra import tasks


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database and the cache answer, 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    try:
        cache.set("health-check", "ok", 5)
        checks["cache"] = "ok" if cache.get("health-check") == "ok" else "error"
    except Exception:
        checks["cache"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    status = "ok" if healthy else "error"
    return JsonResponse({"status": status, **checks}, status=200 if healthy else 503)


def _require_staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise Http404


@never_cache
@require_POST
def ping(request: HttpRequest) -> JsonResponse:
    """For operators (staff): queue a ping task, to check that a worker is running."""
    _require_staff(request)
    result = tasks.ping.enqueue(note=request.POST.get("note", "")[:100])
    return JsonResponse({"id": str(result.id), "status": result.status}, status=202)


@never_cache
@require_GET
def ping_result(request: HttpRequest, result_id: str) -> JsonResponse:
    _require_staff(request)
    try:
        result = tasks.ping.get_result(result_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError):
        # NotImplementedError: a backend that keeps no results (the immediate one) has none.
        raise Http404 from None
    value = result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None
    return JsonResponse({"id": str(result.id), "status": result.status, "value": value})


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Say so in the language just chosen, which the next page is shown in.
        translation.activate(user.language or translation.get_language_from_request(request))
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(request, "registration/profile.html", {"form": form})


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    record(Kind.ACCESS_DENIED, request=request, path=request.path, status=403)
    return defaults.permission_denied(request, exception)
