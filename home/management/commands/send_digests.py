import datetime

from django.core.management.base import BaseCommand, CommandError

from home.digests import send_digests


class Command(BaseCommand):
    help = "Email each active rep their day (overdue, today, next 7 days, deals and leads)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="The day to report, as YYYY-MM-DD (default: today in TIME_ZONE)."
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must look like 2026-03-10: {error}") from error
        sent = send_digests(today=today)
        self.stdout.write(f"{sent} digest(s) sent.")
