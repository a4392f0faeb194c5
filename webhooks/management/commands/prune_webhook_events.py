from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from webhooks.models import Delivery, Event


class Command(BaseCommand):
    help = "Delete webhook events older than --min-age-days whose deliveries are all finished."

    def add_arguments(self, parser):
        parser.add_argument("--min-age-days", type=int, default=30)

    def handle(self, *args, min_age_days, **options):
        before = timezone.now() - timedelta(days=min_age_days)
        waiting = Delivery.objects.pending().values("event_id")
        old = Event.objects.filter(created_at__lt=before).exclude(pk__in=waiting)
        deleted, _by_model = old.delete()
        self.stdout.write(f"{deleted} webhook events and deliveries deleted")
