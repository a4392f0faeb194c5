from django.conf import settings
from django.core.management.base import BaseCommand

from crm.security_log import purge_old_events


class Command(BaseCommand):
    help = "Delete the security events older than SECURITY_LOG_DAYS (run it daily)."

    def handle(self, *args, **options):
        deleted = purge_old_events()
        self.stdout.write(
            f"{deleted} security event(s) older than {settings.SECURITY_LOG_DAYS} days deleted."
        )
