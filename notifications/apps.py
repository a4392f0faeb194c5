"""In-app notifications: what happened to someone's records (a lead assigned to them, a deal
handed to them, a reminder, an endpoint disabled), on the bell of the top bar."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from notifications.receivers import count_at_login

        user_logged_in.connect(count_at_login, dispatch_uid="notifications.count_at_login")
