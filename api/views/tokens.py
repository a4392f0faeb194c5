"""The user's own API tokens, on a page linked from their profile."""

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import TokenForm
from api.models import ApiToken
from api.services import create_token, revoke_token


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens, and the form for a new one. A new token is shown on the page that
    answers the form, once: it is stored only as a hash."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["expires_on"]
        expires_at = None
        if day is not None:
            # The token works until the end of that day, in the user's time zone.
            expires_at = timezone.make_aware(
                datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
            )
        created = create_token(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=expires_at,
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request, "api/token_list.html", {"form": form, "tokens": tokens, "created": created}
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    revoke_token(token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:tokens")
