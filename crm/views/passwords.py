"""Django's password pages, each recording in the security log what it did."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from crm.security_log import Kind, record
from infra.login_lock import client_address
from infra.rates import seconds_over


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        record(Kind.PASSWORD_CHANGED, request=self.request, target=form.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Past PASSWORD_RESET_RATE_LIMIT requests an hour from one address or for one email, the
    page answers as always but sends and records nothing: nobody can flood a mailbox with
    reset links, or the security log with requests."""

    def form_valid(self, form):
        limit, hour = settings.PASSWORD_RESET_RATE_LIMIT, 3600
        email = form.cleaned_data["email"].strip().lower()
        over = seconds_over(
            f"reset:address:{client_address(self.request)}", limit=limit, window=hour
        )
        over = seconds_over(f"reset:email:{email}", limit=limit, window=hour) or over
        if over:
            return HttpResponseRedirect(self.get_success_url())
        response = super().form_valid(form)
        # Recorded whether or not an account has the address: the page says the same either way.
        record(
            Kind.PASSWORD_RESET_REQUESTED, request=self.request, email=form.cleaned_data["email"]
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        record(Kind.PASSWORD_RESET, request=self.request, actor=form.user, target=form.user)
        return response
