from django.core.management.base import BaseCommand

from webhooks.delivery import send_due


class Command(BaseCommand):
    help = "Send every webhook delivery whose time has come (run it from cron every minute)."

    def handle(self, *args, **options):
        tried = send_due()
        self.stdout.write(f"{tried} webhook deliveries tried")
