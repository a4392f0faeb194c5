from django.core.management.base import BaseCommand
from django.db import transaction

from activities import demo as activities_demo
from crm import demo as core_demo
from forecasting import demo as forecasting_demo
from leads import demo as leads_demo
from leads.models import Lead
from mail import demo as mail_demo
from opportunities import demo as opportunities_demo
from opportunities.models import Opportunity
from reports import demo as reports_demo

# Where ``./dev run`` serves unless PORT says otherwise (runserver's own default).
DEFAULT_ADDRESS = "127.0.0.1:8000"


def login_url(address: str = DEFAULT_ADDRESS) -> str:
    """The address ``manage.py runserver <address>`` serves at: a bare port means 127.0.0.1."""
    address = address.strip() or DEFAULT_ADDRESS
    if address.isdigit():
        address = f"127.0.0.1:{address}"
    return f"http://{address}"


class Command(BaseCommand):
    help = "Load demo users, companies, contacts, leads and deals (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default=DEFAULT_ADDRESS,
            help="The address runserver will listen on: a port or host:port.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        people = core_demo.seed_people()
        core_demo.seed_records(people)
        reports_demo.seed(people)
        opportunities_demo.seed(people)
        leads_demo.seed(people)
        forecasting_demo.seed(people)
        activities_demo.seed(
            deals=Opportunity.objects.open().filter(owner__in=people.reps),
            leads=Lead.objects.filter(owner__in=people.reps, status=Lead.Status.WORKING),
        )
        mail_demo.seed()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data is ready. Log in at {login_url(options['address'])}")
        )
        for user in [people.admin, people.manager, *people.reps]:
            self.stdout.write(
                f"  {user.username:<8} / {core_demo.DEMO_PASSWORD}  ({user.get_role_display()})"
            )
