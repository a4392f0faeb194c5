from django.core.management.base import BaseCommand
from django.db import transaction

from activities import demo as activities_demo
from crm import demo as core_demo
from leads import demo as leads_demo
from leads.models import Lead
from opportunities import demo as opportunities_demo
from opportunities.models import Opportunity
from reports import demo as reports_demo


class Command(BaseCommand):
    help = "Load demo users, companies, contacts, leads and deals (safe to run twice)."

    @transaction.atomic
    def handle(self, *args, **options):
        people = core_demo.seed_people()
        core_demo.seed_records(people)
        reports_demo.seed(people)
        opportunities_demo.seed(people)
        leads_demo.seed(people)
        activities_demo.seed(
            deals=Opportunity.objects.open().filter(owner__in=people.reps),
            leads=Lead.objects.filter(owner__in=people.reps, status=Lead.Status.WORKING),
        )
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000"))
        for user in [people.admin, people.manager, *people.reps]:
            self.stdout.write(
                f"  {user.username:<8} / {core_demo.DEMO_PASSWORD}  ({user.get_role_display()})"
            )
