from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def our_path(request: HttpRequest, target: str, fallback: str) -> str:
    """``target`` when it is a path of this site, else ``fallback``: where to send the browser
    back to after a form posted with a ``next``. A path only: a bare word would be taken by
    ``redirect()`` for the name of a view, and another host is an open redirect."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback
