from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Login is required everywhere unless a view opts out with ``@login_not_required``.

    An HTMX request from an expired session must not get the login page swapped into a
    fragment: it is told to send the whole browser to the login page instead.
    """

    def handle_no_permission(self, request, view_func):
        if not request.htmx:
            return super().handle_no_permission(request, view_func)
        # Come back to the page the fragment was requested from, not to the fragment's URL.
        path = request.htmx.current_url_abs_path or "/"
        response = redirect_to_login(
            path, self.get_login_url(view_func), self.get_redirect_field_name(view_func)
        )
        return HttpResponseClientRedirect(response.url)


class UserLanguageMiddleware:
    """Use the language a signed-in user chose in their profile, else the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
