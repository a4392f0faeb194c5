from django.core.management.base import BaseCommand

from mail.sending import fail_interrupted


class Command(BaseCommand):
    help = (
        "Mark failed the emails whose sending was interrupted (a worker died on the way), so "
        "that their senders see them and can send them again (run every 15 minutes from cron)."
    )

    def handle(self, *args, **options):
        failed = fail_interrupted()
        self.stdout.write(f"{failed} interrupted email(s) marked failed.")
