from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

# The reference page's scripts are files of ours (the sidecar's and the page's own, served
# apart rather than inline); Swagger UI writes style attributes into what it draws, which
# this page alone allows.
DOCS_CSP = settings.SECURE_CSP | {"style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}


@method_decorator(csp_override(DOCS_CSP), name="dispatch")
class ReferencePage(SpectacularSwaggerSplitView):
    """The API's browsable reference, for a signed-in user (who may try it out there)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = []
    url_name = "api:schema"


_reference_page = ReferencePage.as_view()


@require_GET
def reference(request: HttpRequest) -> HttpResponse:
    """The reference page as a page of the app: for a signed-in user, and (unlike the API's
    own views) behind the CSRF middleware like every other page."""
    return _reference_page(request)
