from django.core.management.base import BaseCommand
from django.db import transaction

from crm import activities_demo
from crm import demo as core_demo
from leads import demo as leads_demo
from opportunities import demo as opportunities_demo
from opportunities.reports import demo as reports_demo


class Command(BaseCommand):
    help = "Load demo users, companies, contacts, leads and deals (safe to run twice)."

    @transaction.atomic
    def handle(self, *args, **options):
        people = core_demo.seed_people()
        core_demo.seed_records(people)
        reports_demo.seed(people)
        opportunities_demo.seed(people)
        leads_demo.seed(people)
        activities_demo.seed(people)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000"))
        for user in [people.admin, people.manager, *people.reps]:
            self.stdout.write(
                f"  {user.username:<8} / {core_demo.DEMO_PASSWORD}  ({user.get_role_display()})"
            )
