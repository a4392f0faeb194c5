"""Every error of the API is JSON, in the user's language (DRF's messages and ours are
translated): ``{"detail": ...}``, or ``{"field": [messages]}`` as the forms give them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from crm.security_log import Kind, record
from leads.services import LeadError
from opportunities.services import InvalidTransition


class Conflict(exceptions.APIException):
    """The record's state does not allow it (qualifying a converted lead, moving a won deal)."""

    status_code = status.HTTP_409_CONFLICT


def handle(exc, context):
    if isinstance(exc, LeadError | InvalidTransition):
        exc = Conflict(str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()  # "Not found.", translated, naming no model
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, exceptions.PermissionDenied) and _signed_in(context.get("request")):
        # A refusal to someone signed in (a rep assigning in bulk). A refusal before anyone is
        # (a forged browser POST failing its CSRF check) is not recorded, as with the pages.
        request = context["request"]
        record(Kind.ACCESS_DENIED, request=request, path=request.path, status=403)
    return exception_handler(exc, context)


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
