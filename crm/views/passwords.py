"""Django's password pages, each recording in the security log what it did."""

from django.contrib.auth import views as auth_views

from crm.security_log import Kind, record


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        record(Kind.PASSWORD_CHANGED, request=self.request, target=form.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
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
