from django.conf import settings
from django.core.management.base import BaseCommand

from crm.trash import purge_expired_trash


class Command(BaseCommand):
    help = (
        "Delete for good what has been in the trash longer than TRASH_DAYS (run it daily); "
        "each deletion is recorded in the security log."
    )

    def handle(self, *args, **options):
        purged, kept = purge_expired_trash()
        self.stdout.write(f"{purged} record(s) deleted for good from the trash.")
        if kept:
            self.stdout.write(
                f"{kept} deletion(s) older than {settings.TRASH_DAYS} days kept back: records "
                "still in the trash depend on them; they go once those have gone."
            )
