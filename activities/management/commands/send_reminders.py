from django.core.management.base import BaseCommand

from activities.reminders import send_reminders


class Command(BaseCommand):
    help = "Remind owners of the activities about to start (run every minute from cron)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
