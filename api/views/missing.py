"""An address under /api/v1/ that names no endpoint (a typo, an id that is not a number such
as ``-3``): a 404 in JSON like the API's others, not the site's HTML page."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


# A program carries a token, not a session or the CSRF cookie: the answer is the 404 either
# way, as the API's own views give it to anyone.
@login_not_required
@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    return JsonResponse({"detail": _("Not found.")}, status=404)
