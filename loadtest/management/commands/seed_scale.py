"""Build a large, believable data set to measure the app at the size of a big sales organisation.

At ``--scale 1``: 200 users in 20 teams, 100,000 companies, 300,000 contacts, 1,000,000 leads,
250,000 opportunities with their stage history, and 1,000,000 activities. Smaller scales shrink
every count in proportion (the test suite runs it tiny). Rows are written in batches: on
PostgreSQL with COPY, each table's secondary indexes and foreign keys set aside while it loads
and built again once it is full (about six minutes at ``--scale 1`` on two cores, was eighteen
with bulk inserts); elsewhere with ``bulk_create``. Run it on PostgreSQL for the real thing.
"""

import datetime
import random
import time
from contextlib import contextmanager
from decimal import Decimal
from itertools import batched
from operator import itemgetter

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from activities.models import Activity
from crm.matching import company_name_key
from crm.models import Company, Contact, Team, User
from forecasting.models import Period, Quota
from infra.periods import month_start, quarter_start
from leads.models import DisqualifyReason, Lead, LeadConversion, LeadSource, LeadStatusChange
from opportunities.models import (
    LostReason,
    Opportunity,
    OpportunityChange,
    Pipeline,
    Stage,
    ended_stays,
    moves_on,
)

FULL_SIZE = {
    "teams": 20,
    "reps_per_team": 9,
    "companies": 100_000,
    "contacts": 300_000,
    "leads": 1_000_000,
    "opportunities": 250_000,
    "activities": 1_000_000,
}
FIRST_NAMES = [
    "Ana",
    "Luis",
    "Carmen",
    "Javier",
    "Lucia",
    "Marco",
    "Sofia",
    "Pablo",
    "Elena",
    "Hugo",
    "Marta",
    "David",
    "Laura",
    "Diego",
    "Irene",
    "Raul",
    "Nora",
    "Pedro",
    "Clara",
    "Adrian",
    "Julia",
    "Tomas",
    "Alba",
    "Ivan",
    "Sara",
    "Mateo",
    "Paula",
    "Bruno",
    "Emma",
    "Leo",
    "Olga",
    "Ines",
]
LAST_NAMES = [
    "Garcia",
    "Martinez",
    "Lopez",
    "Sanchez",
    "Perez",
    "Gomez",
    "Martin",
    "Jimenez",
    "Ruiz",
    "Hernandez",
    "Diaz",
    "Moreno",
    "Alvarez",
    "Romero",
    "Navarro",
    "Torres",
    "Dominguez",
    "Vazquez",
    "Ramos",
    "Gil",
    "Serrano",
    "Blanco",
    "Molina",
    "Morales",
    "Suarez",
    "Ortega",
    "Delgado",
    "Castro",
    "Ortiz",
    "Rubio",
    "Marin",
    "Sanz",
    "Iglesias",
    "Nunez",
    "Medina",
    "Garrido",
    "Schmidt",
    "Muller",
    "Rossi",
    "Dubois",
]
WORDS = [
    "Atlas",
    "Boreal",
    "Cobalt",
    "Delta",
    "Ebro",
    "Fenix",
    "Granito",
    "Helios",
    "Iberia",
    "Jade",
    "Kappa",
    "Lumen",
    "Meridian",
    "Nexo",
    "Orion",
    "Prisma",
    "Quantum",
    "Rio",
    "Solar",
    "Tajo",
    "Umbral",
    "Vega",
    "Winda",
    "Xenon",
    "Yunque",
    "Zenit",
    "Alto",
    "Brisa",
    "Cumbre",
]
SUFFIXES = ["Logistics", "Foods", "Systems", "Energy", "Retail", "Health", "Labs", "Partners"]
INDUSTRIES = ["Manufacturing", "Retail", "Software", "Logistics", "Healthcare", "Energy", "Food"]
LEAD_SOURCES = [
    ("Website form", "web", 35),
    ("Phone call", "phone", 15),
    ("Trade show", "trade-show", 15),
    ("Referral", "referral", 15),
    ("Import", "import", 15),
    ("Other", "other", 5),
]
LEAD_STATUSES = [
    (Lead.Status.NEW, 15),
    (Lead.Status.WORKING, 12),
    (Lead.Status.QUALIFIED, 5),
    (Lead.Status.DISQUALIFIED, 48),
    (Lead.Status.CONVERTED, 20),
]
DEFAULT_STAGES = [
    ("Qualification", 10),
    ("Needs analysis", 20),
    ("Proposal preparation", 40),
    ("Contract negotiation", 70),
]
DEAL_KINDS = ["Licences", "Renewal", "Pilot", "Rollout", "Support"]
COMPETITORS = ["Northwind", "Contoso", "Initech", "Globex", ""]


def weighted(rng: random.Random, choices):
    values = [value for value, *_ in choices]
    weights = [choice[-1] for choice in choices]
    return rng.choices(values, weights=weights, k=1)[0]


# Values that the preparation of a field (``get_db_prep_save``) hands to the driver unchanged on
# PostgreSQL, by the field's type: writing those skips it, which was most of the Python time of
# writing a row. Anything else, and naive datetimes, go through the field. None passes everywhere.
INTEGER_FIELDS = [
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
]
UNCHANGED = {
    **dict.fromkeys(INTEGER_FIELDS, int),
    "CharField": str,
    "TextField": str,
    "DateField": datetime.date,
    "DateTimeField": datetime.datetime,
    "DecimalField": Decimal,
}


def value_reader(field):
    """A function of a row (a dict of attnames) giving what Django would write for ``field``:
    the row's value or the field's default, prepared for the database as ``bulk_create`` does."""
    attname, default = field.attname, field.get_default
    target = field.target_field if field.is_relation else field
    unchanged = UNCHANGED.get(target.get_internal_type())
    is_datetime = unchanged is datetime.datetime

    def read(row: dict):
        value = row[attname] if attname in row else default()
        if value is None or (
            type(value) is unchanged and not (is_datetime and value.tzinfo is None)
        ):
            return value
        return field.get_db_prep_save(value, connection)

    return read


def end_stays(rows: list[dict]) -> None:
    """Record each stay's end on the row that began it, as the services do when a stage or
    status change is saved; ``rows`` are one deal's history, in order."""
    for begun, ending in ended_stays(rows, field=itemgetter("field")):
        begun["left_at"] = ending["changed_at"]
        begun["moved_on"] = moves_on(ending["field"], ending["new_value"])


@contextmanager
def keep_given_timestamps(*models):
    """Let bulk inserts keep the created/updated times we generate instead of 'now'."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Command(BaseCommand):
    help = "Build a large, realistic data set for benchmarks (use PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = a million leads; 0.001 = a thousand."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (reproducible).")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, scale: float, seed: int, batch_size: int, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if User.objects.filter(username__startswith="scale-").exists():
            raise CommandError("A scale data set is already loaded in this database.")
        # The load sets each table's indexes and foreign keys aside while it writes: never on
        # tables that hold someone's records.
        loaded = (Company, Contact, Lead, Opportunity, Activity)
        if any(model.objects.exists() for model in loaded):
            raise CommandError(
                "seed_scale loads an empty database: this one already holds companies, "
                "contacts, leads, deals or activities."
            )
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.started = time.monotonic()
        self.sizes = {
            name: max(2 if name in {"teams", "reps_per_team"} else 10, round(count * scale))
            for name, count in FULL_SIZE.items()
        }
        with keep_given_timestamps(Company, Contact, Lead, Opportunity, Activity):
            self.seed_reference_data()
            self.seed_people()
            self.seed_companies()
            self.seed_contacts()
            self.seed_leads()
            self.seed_opportunities()
            self.seed_conversions()
            self.seed_activities()
            self.seed_quotas()
        self.analyze()
        self.progress("done")

    def analyze(self) -> None:
        """Fresh planner statistics and visibility map: without them the first benchmark runs
        would plan against empty tables and read the heap for index-only scans. VACUUM cannot
        run inside a transaction (a test's), where it is left to autovacuum."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        self.progress("vacuum analyze")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    # -- helpers ---------------------------------------------------------------------------

    @contextmanager
    def set_aside(self, model, label: str):
        """Load ``model``'s table without its secondary indexes and foreign keys, then create
        them again from their own definitions (PostgreSQL's, so exactly as the migrations made
        them), also when the load fails: building an index over the loaded table, and checking
        a foreign key in one join, costs a fraction of doing either row by row (as pg_restore
        does). The primary key and unique indexes stay. PostgreSQL only."""
        if connection.vendor != "postgresql":
            yield
            return
        quote_name = connection.ops.quote_name
        table = quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                # In a transaction (a test's), foreign-key checks still pending forbid altering
                # the tables they touch: make them run as rows are written instead.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT class.relname, pg_get_indexdef(ix.indexrelid) FROM pg_index ix"
                " JOIN pg_class class ON class.oid = ix.indexrelid"
                " WHERE ix.indrelid = %s::regclass AND NOT ix.indisunique"
                " AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = ix.indexrelid)"
                " ORDER BY class.relname",
                [table],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            foreign_keys = cursor.fetchall()
            for name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote_name(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {quote_name(name)}")
        try:
            yield
        finally:
            self.progress(
                f"{label}: building {len(indexes)} indexes, {len(foreign_keys)} foreign keys"
            )
            statements = [definition for _name, definition in indexes] + [
                f"ALTER TABLE {table} ADD CONSTRAINT {quote_name(name)} {definition}"
                for name, definition in foreign_keys
            ]
            failure = None
            with connection.cursor() as cursor:
                # Room to sort in memory (for this connection only).
                cursor.execute("SET maintenance_work_mem = '256MB'")
                for statement in statements:
                    try:
                        cursor.execute(statement)
                    except DatabaseError as error:
                        failure = failure or error
            if failure is not None:
                raise failure
            self.progress(f"{label}: built")

    def progress(self, message: str) -> None:
        elapsed = time.monotonic() - self.started
        self.stdout.write(f"[{elapsed:7.1f}s] {message}")
        self.stdout.flush()

    def insert(self, model, rows, label: str, total: int, keep=lambda row: row):
        """Insert ``rows`` (any iterable, usually a generator, of dicts of field attnames to
        values) in batches, one transaction per batch, reporting progress about every tenth of
        ``total``. Returns ``keep(row)`` for each written row, its pk filled in (``keep=None``:
        nothing, when the rows are not needed afterwards). Fields a row leaves out get their
        default.

        Rows are built and written batch by batch: progress shows from the first seconds of a
        phase, and memory holds one batch rather than a million rows.
        """
        write = self.copy_rows if connection.vendor == "postgresql" else self.create_rows
        created = []
        step = max(1, total // 10)
        next_report = step
        done = 0
        with self.set_aside(model, label):
            for batch in batched(rows, self.batch_size):
                with transaction.atomic():
                    write(model, batch, with_pks=keep is not None)
                if keep is not None:
                    created.extend(map(keep, batch))
                done += len(batch)
                if done >= next_report or done >= total:
                    self.progress(f"{label}: {done:,}/{total:,}")
                    while next_report <= done:
                        next_report += step
        return created

    def create_rows(self, model, rows, with_pks: bool) -> None:
        """Write through the ORM (SQLite, the tests)."""
        written = model.objects.bulk_create([model(**row) for row in rows])
        if with_pks:
            for row, instance in zip(rows, written, strict=True):
                row[model._meta.pk.attname] = instance.pk

    def copy_rows(self, model, rows, with_pks: bool) -> None:
        """Write with COPY (PostgreSQL): several times faster than INSERTs, in the server and in
        Python. The pks, when wanted, are taken from the table's sequence first."""
        meta = model._meta
        fields = [
            field
            for field in meta.concrete_fields
            if not field.generated and (with_pks or not field.primary_key)
        ]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if with_pks:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.pk.column, len(rows)],
                )
                for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                    row[meta.pk.attname] = pk
            columns = ", ".join(quote(field.column) for field in fields)
            with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                readers = [value_reader(field) for field in fields]
                for row in rows:
                    copy.write_row([read(row) for read in readers])

    def moment_between(self, start: datetime.datetime, end: datetime.datetime):
        span = max(1, int((end - start).total_seconds()))
        return start + datetime.timedelta(seconds=self.rng.randrange(span))

    def person_name(self):
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def owner_of_team(self):
        """A random rep and their team; one record in twenty is left unowned in the team."""
        team_id, members = self.rng.choice(self.team_members)
        if self.rng.random() < 0.05:
            return None, team_id
        return self.rng.choice(members), team_id

    # -- phases ----------------------------------------------------------------------------

    def seed_reference_data(self):
        self.sources = []
        for name, code, weight in LEAD_SOURCES:
            source = LeadSource.objects.filter(code=code).first()
            if source is None:
                source = LeadSource.objects.create(name=name, code=code)
            self.sources.append((source.pk, weight))
        self.disqualify_reasons = [
            DisqualifyReason.objects.get_or_create(name=name)[0].pk
            for name in ["No budget", "Not a fit", "Unreachable", "Student or job seeker"]
        ]
        self.lost_reasons = [
            LostReason.objects.get_or_create(name=name)[0].pk
            for name in ["Price", "Competitor", "No budget", "No decision", "Timing"]
        ]
        pipeline = Pipeline.objects.filter(is_default=True).first()
        if pipeline is None:
            pipeline = Pipeline.objects.create(name="New business", is_default=True)
        stages = list(pipeline.stages.order_by("order", "pk"))
        if not stages:
            stages = [
                Stage.objects.create(pipeline=pipeline, name=name, order=order, probability=prob)
                for order, (name, prob) in enumerate(DEFAULT_STAGES, start=1)
            ]
        self.pipeline = pipeline
        self.stages = stages
        self.progress(f"reference data: {len(stages)} stages, {len(self.sources)} sources")

    def seed_people(self):
        teams, managers, reps = self.sizes["teams"], [], []
        password = User(username="x")
        password.set_unusable_password()
        for number in range(1, teams + 1):
            first, last = self.person_name()
            manager = User(
                username=f"scale-manager-{number:02}",
                first_name=first,
                last_name=last,
                email=f"manager{number}@scale.example",
                role=User.Role.MANAGER,
                password=password.password,
            )
            managers.append(manager)
        User.objects.bulk_create(managers)
        team_objects = Team.objects.bulk_create(
            [
                Team(name=f"Scale team {number:02}", manager=manager)
                for number, manager in enumerate(managers, start=1)
            ]
        )
        for team in team_objects:
            for number in range(1, self.sizes["reps_per_team"] + 1):
                first, last = self.person_name()
                reps.append(
                    User(
                        username=f"scale-rep-{team.pk}-{number:02}",
                        first_name=first,
                        last_name=last,
                        email=f"rep{team.pk}.{number}@scale.example",
                        team=team,
                        password=password.password,
                    )
                )
        reps = User.objects.bulk_create(reps)
        self.team_members = [
            (team.pk, [rep.pk for rep in reps if rep.team_id == team.pk]) for team in team_objects
        ]
        self.progress(f"people: {len(managers) + len(reps)} users in {len(team_objects)} teams")

    def seed_quotas(self):
        """A quota for every team and rep, this month and this quarter (after the rest, so
        that the records drawn from the seed stay the same)."""
        periods = [
            (Period.MONTH, month_start(self.today), 1),
            (Period.QUARTER, quarter_start(self.today), 3),
        ]
        quotas = []
        for team, members in self.team_members:
            for period, start, months in periods:
                quotas.append(
                    Quota(team_id=team, period=period, start=start, amount=400_000 * months)
                )
                quotas += [
                    Quota(owner_id=rep, period=period, start=start, amount=40_000 * months, deals=4)
                    for rep in members
                ]
        Quota.objects.bulk_create(quotas, batch_size=self.batch_size)
        self.progress(f"quotas: {len(quotas)}")

    def seed_companies(self):
        total = self.sizes["companies"]
        self.companies = [
            (c["id"], c["owner_id"], c["team_id"])
            for c in self.insert(Company, self.company_rows(total), "companies", total)
        ]

    def company_rows(self, total: int):
        for number in range(total):
            owner, team = self.owner_of_team()
            name = f"{self.rng.choice(WORDS)} {self.rng.choice(SUFFIXES)} {number}"
            created = self.moment_between(self.now - datetime.timedelta(days=1500), self.now)
            yield {
                "name": name,
                # What Company.save() would write: these rows are copied in, not saved.
                "name_key": company_name_key(name),
                "email_domain": f"{name.lower().replace(' ', '-')}.example",
                "phone": f"+34 9{self.rng.randrange(10**7, 10**8)}",
                "industry": self.rng.choice(INDUSTRIES),
                "owner_id": owner,
                "team_id": team,
                "created_at": created,
                "updated_at": created,
            }

    def seed_contacts(self):
        total = self.sizes["contacts"]
        self.contacts = [
            (c["id"], c["company_id"], c["owner_id"], c["team_id"])
            for c in self.insert(Contact, self.contact_rows(total), "contacts", total)
        ]

    def contact_rows(self, total: int):
        for number in range(total):
            company_id, owner, team = self.rng.choice(self.companies)
            first, last = self.person_name()
            created = self.moment_between(self.now - datetime.timedelta(days=1400), self.now)
            yield {
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.{number}@contact.example".lower(),
                "phone": f"+34 6{self.rng.randrange(10**7, 10**8)}",
                "job_title": self.rng.choice(["CEO", "CFO", "Buyer", "IT manager", "Owner"]),
                "company_id": company_id,
                "owner_id": owner,
                "team_id": team,
                "created_at": created,
                "updated_at": created,
            }

    def seed_leads(self):
        total = self.sizes["leads"]
        self.leads = self.insert(
            Lead,
            self.lead_rows(total),
            "leads",
            total,
            keep=itemgetter("id", "owner_id", "team_id", "created_at", "status"),
        )
        self.converted_leads = [lead for lead in self.leads if lead[4] == Lead.Status.CONVERTED]
        steps = {
            Lead.Status.NEW: 0,
            Lead.Status.WORKING: 1,
            Lead.Status.DISQUALIFIED: 2,
            Lead.Status.QUALIFIED: 2,
            Lead.Status.CONVERTED: 3,
        }
        changes = sum(steps[lead[4]] for lead in self.leads)
        self.insert(
            LeadStatusChange, self.lead_change_rows(), "lead status changes", changes, keep=None
        )

    def lead_rows(self, total: int):
        for number in range(total):
            owner, team = self.owner_of_team()
            first, last = self.person_name()
            status = weighted(self.rng, LEAD_STATUSES)
            created = self.moment_between(self.now - datetime.timedelta(days=1100), self.now)
            yield {
                "first_name": first,
                "last_name": last,
                "company_name": f"{self.rng.choice(WORDS)} {self.rng.choice(SUFFIXES)}",
                "email": f"{first}.{last}.{number}@lead.example".lower(),
                "phone": f"+34 7{number:08}",
                "source_id": weighted(self.rng, self.sources),
                "status": status,
                "disqualify_reason_id": self.rng.choice(self.disqualify_reasons)
                if status == Lead.Status.DISQUALIFIED
                else None,
                "owner_id": owner,
                "team_id": team,
                "created_at": created,
                "updated_at": created,
            }

    def lead_change_rows(self):
        """new → working (→ qualified) → disqualified or converted, ending at the lead's status."""
        for pk, owner_id, _team, created_at, status in self.leads:
            if status == Lead.Status.NEW:
                continue
            at = created_at + datetime.timedelta(hours=self.rng.randrange(1, 240))
            yield {
                "lead_id": pk,
                "from_status": Lead.Status.NEW,
                "to_status": Lead.Status.WORKING,
                "changed_by_id": owner_id,
                "changed_at": at,
            }
            if status in {Lead.Status.QUALIFIED, Lead.Status.CONVERTED}:
                yield {
                    "lead_id": pk,
                    "from_status": Lead.Status.WORKING,
                    "to_status": Lead.Status.QUALIFIED,
                    "changed_by_id": owner_id,
                    "changed_at": at + datetime.timedelta(days=2),
                }
            if status in {Lead.Status.DISQUALIFIED, Lead.Status.CONVERTED}:
                yield {
                    "lead_id": pk,
                    "from_status": Lead.Status.QUALIFIED
                    if status == Lead.Status.CONVERTED
                    else Lead.Status.WORKING,
                    "to_status": status,
                    "changed_by_id": owner_id,
                    "changed_at": at + datetime.timedelta(days=3),
                }

    def seed_opportunities(self):
        total = self.sizes["opportunities"]
        opportunities = self.insert(
            Opportunity, self.opportunity_rows(total), "opportunities", total
        )
        self.opportunities = [
            (o["id"], o["owner_id"], o["team_id"], o["status"]) for o in opportunities
        ]
        self.contact_opportunity = {}
        history = []
        for opportunity in opportunities:
            self.contact_opportunity.setdefault(opportunity["contact_id"], opportunity["id"])
            history.extend(self.history_for(opportunity))
        del opportunities
        self.insert(OpportunityChange, history, "opportunity history", len(history), keep=None)

    def opportunity_rows(self, total: int):
        last_stage = len(self.stages) - 1
        for _ in range(total):
            contact_id, company_id, owner, team = self.rng.choice(self.contacts)
            status = self.rng.choices(
                [Opportunity.Status.OPEN, Opportunity.Status.WON, Opportunity.Status.LOST],
                weights=[40, 30, 30],
            )[0]
            created = self.moment_between(self.now - datetime.timedelta(days=900), self.now)
            if status == Opportunity.Status.OPEN:
                stage_index = self.rng.randrange(len(self.stages))
                closed = None
                close_date = self.today + datetime.timedelta(days=self.rng.randrange(-30, 180))
                probability = self.stages[stage_index].probability
            else:
                stage_index = (
                    last_stage
                    if status == Opportunity.Status.WON
                    else self.rng.randrange(last_stage + 1)
                )
                closed_at = self.moment_between(
                    created, min(self.now, created + datetime.timedelta(days=200))
                )
                closed = closed_at.date()
                close_date = closed
                probability = 100 if status == Opportunity.Status.WON else 0
            amount = Decimal(
                self.rng.choice([2, 5, 8, 12, 20, 35, 60, 120]) * 1000
                + self.rng.randrange(0, 1000, 50)
            )
            yield {
                "name": f"{self.rng.choice(DEAL_KINDS)} {self.rng.randrange(10, 999)} seats",
                "company_id": company_id,
                "contact_id": contact_id,
                "owner_id": owner,
                "team_id": team,
                "pipeline_id": self.pipeline.pk,
                "stage_id": self.stages[stage_index].pk,
                "status": status,
                "amount": amount,
                "currency": self.rng.choices(["EUR", "USD", "GBP"], weights=[80, 15, 5])[0],
                "probability": probability,
                "expected_close_date": close_date,
                "closed_date": closed,
                "lost_reason_id": self.rng.choice(self.lost_reasons)
                if status == Opportunity.Status.LOST
                else None,
                "competitor": self.rng.choice(COMPETITORS)
                if status == Opportunity.Status.LOST
                else "",
                "created_at": created,
                "updated_at": created,
            }

    def history_for(self, opportunity: dict):
        """created → each stage in turn → won/lost; ends at the deal's current stage."""
        pk, owner_id, status = opportunity["id"], opportunity["owner_id"], opportunity["status"]
        stage_index = next(
            index for index, stage in enumerate(self.stages) if stage.pk == opportunity["stage_id"]
        )
        at = opportunity["created_at"]
        end = (
            timezone.make_aware(
                datetime.datetime.combine(opportunity["closed_date"], datetime.time(12))
            )
            if opportunity["closed_date"]
            else self.now
        )
        end = max(end, at + datetime.timedelta(minutes=1))
        steps = stage_index + (0 if status == Opportunity.Status.OPEN else 1)
        gap = max(datetime.timedelta(hours=1), (end - at) / (steps + 1))
        rows = [
            {
                "opportunity_id": pk,
                "field": OpportunityChange.Field.CREATED,
                "new_value": self.stages[0].name,
                "to_stage_id": self.stages[0].pk,
                "changed_by_id": owner_id,
                "changed_at": at,
            }
        ]
        for index in range(1, stage_index + 1):
            at = min(end, at + gap)
            rows.append(
                {
                    "opportunity_id": pk,
                    "field": OpportunityChange.Field.STAGE,
                    "old_value": self.stages[index - 1].name,
                    "new_value": self.stages[index].name,
                    "from_stage_id": self.stages[index - 1].pk,
                    "to_stage_id": self.stages[index].pk,
                    "changed_by_id": owner_id,
                    "changed_at": at,
                }
            )
        if status != Opportunity.Status.OPEN:
            rows.append(
                {
                    "opportunity_id": pk,
                    "field": OpportunityChange.Field.STATUS,
                    "old_value": Opportunity.Status.OPEN,
                    "new_value": status,
                    "changed_by_id": owner_id,
                    "changed_at": end,
                }
            )
        elif self.rng.random() < 0.15:
            pushed = opportunity["expected_close_date"]
            rows.append(
                {
                    "opportunity_id": pk,
                    "field": OpportunityChange.Field.EXPECTED_CLOSE_DATE,
                    "old_value": (
                        pushed - datetime.timedelta(days=self.rng.randrange(7, 60))
                    ).isoformat(),
                    "new_value": pushed.isoformat(),
                    "changed_by_id": owner_id,
                    "changed_at": self.moment_between(at, self.now),
                }
            )
        end_stays(rows)
        return rows

    def seed_conversions(self):
        rows = [
            {
                "lead_id": lead[0],
                "contact_id": contact_id,
                "company_id": company_id,
                "opportunity_id": self.contact_opportunity.get(contact_id),
                "converted_by_id": lead[1],
                "converted_at": lead[3] + datetime.timedelta(days=5),
            }
            for lead, (contact_id, company_id, _owner, _team) in zip(
                self.converted_leads,
                self.rng.sample(self.contacts, min(len(self.contacts), len(self.converted_leads))),
                strict=False,
            )
        ]
        self.insert(LeadConversion, rows, "lead conversions", len(rows), keep=None)

    def seed_activities(self):
        total = self.sizes["activities"]
        self.insert(Activity, self.activity_rows(total), "activities", total, keep=None)

    def activity_rows(self, total: int):
        kinds = [Activity.Kind.CALL, Activity.Kind.MEETING, Activity.Kind.EMAIL, Activity.Kind.TASK]
        for _ in range(total):
            about = self.rng.choices(
                ["opportunity", "lead", "contact", "company"], weights=[60, 25, 10, 5]
            )[0]
            if about == "opportunity":
                record_id, owner, team, _status = self.rng.choice(self.opportunities)
            elif about == "lead":
                record_id, owner, team, _created, _status = self.rng.choice(self.leads)
            elif about == "contact":
                record_id, _company, owner, team = self.rng.choice(self.contacts)
            else:
                record_id, owner, team = self.rng.choice(self.companies)
            when = self.rng.random()
            if when < 0.7:
                due = self.today - datetime.timedelta(days=self.rng.randrange(1, 700))
                done_at = timezone.make_aware(datetime.datetime.combine(due, datetime.time(15)))
            elif when < 0.95:
                due = self.today + datetime.timedelta(days=self.rng.randrange(0, 30))
                done_at = None
            else:
                due = self.today - datetime.timedelta(days=self.rng.randrange(1, 20))
                done_at = None
            created = timezone.make_aware(
                datetime.datetime.combine(due - datetime.timedelta(days=3), datetime.time(9))
            )
            yield {
                "kind": self.rng.choice(kinds),
                "subject": self.rng.choice(
                    ["Follow-up call", "Demo", "Send proposal", "Check-in", "Contract review"]
                ),
                "due_date": due,
                "done_at": done_at,
                "owner_id": owner,
                "team_id": team,
                "created_at": min(created, self.now),
                "updated_at": min(created, self.now),
                f"{about}_id": record_id,
            }
