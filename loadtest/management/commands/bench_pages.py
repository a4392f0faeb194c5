"""Measure every main page, and every list and report of the API (called with a personal
token, labelled "API ..."; ``--only api`` measures those alone), as a rep, a manager and an
admin, and write docs/performance.md.

Server time is measured in-process through Django's test client (no network, no browser): the
time from request to the last byte of the response, which is what the database and the view
cost. Each page is requested ``--requests`` times after two warm-up requests; the table shows the
median, the 95th percentile and the number of SQL queries of one request.

Each page is measured twice: *warm*, as it answers when nothing changed since the last visit,
and *cold*, with every cached report figure retired before each request, as it answers right
after a write. Requests are HTTPS (``secure=True`` on each one), so that the production
settings (``SECURE_SSL_REDIRECT``) answer the page rather than a redirect.
"""

import datetime
import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from activities.models import Activity
from api.services import create_token
from crm.models import Company, Contact, User
from infra.report_cache import figures_changed
from leads.forms import ConvertForm
from leads.models import Lead
from opportunities.models import Opportunity

PAGE_TARGET_MS = 150
WRITE_TARGET_MS = 100
API_TARGET_MS = 100
QUERY_TARGET = 15


def cpu_check() -> float:
    """Milliseconds for ten million additions in a Python loop: how fast a core is right now.

    Shared machines differ from one another and from hour to hour; this figure, printed beside
    the table, tells whether two tables were measured on comparable cores."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return (time.perf_counter() - started) * 1000


@dataclass
class Measurement:
    label: str
    role: str
    # "page", "api" (an API list or report, called with a token), "write" or "export" (a
    # download: no time target, memory measured apart).
    kind: str
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    status: int = 0
    # The same request with every cached figure retired first (pages only).
    cold_times_ms: list[float] = field(default_factory=list)
    cold_queries: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return percentile_95(self.times_ms)

    @property
    def cold_median(self) -> float:
        return statistics.median(self.cold_times_ms) if self.cold_times_ms else self.median

    @property
    def cold_p95(self) -> float:
        return percentile_95(self.cold_times_ms) if self.cold_times_ms else self.p95

    @property
    def most_queries(self) -> int:
        return max(self.queries, self.cold_queries)

    @property
    def answered(self) -> bool:
        """A page must answer 200 (a redirect would measure the wrong thing); a write may
        redirect to the record it changed."""
        return self.status == 200 if self.kind in ("page", "api") else 200 <= self.status < 400

    @property
    def meets_target(self) -> bool:
        if self.kind == "export":
            return self.queries <= QUERY_TARGET and self.answered
        target = {"page": PAGE_TARGET_MS, "api": API_TARGET_MS}.get(self.kind, WRITE_TARGET_MS)
        slowest = max(self.p95, self.cold_p95)
        return slowest <= target and self.most_queries <= QUERY_TARGET and self.answered


def percentile_95(times_ms: list[float]) -> float:
    ordered = sorted(times_ms)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def retire_figures() -> None:
    """What a write does to the reports' cache, for every scope at once."""
    figures_changed()


class Command(BaseCommand):
    help = "Benchmark the main pages at the current data size and write docs/performance.md."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "docs" / "performance.md")
        )
        parser.add_argument("--only", default="", help="Only pages whose label contains this.")

    def handle(self, *args, **options):
        # The test client's host, for this command only.
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            self.run(**options)

    def run(self, *, requests: int, output: str, only: str, **options):
        self.requests = requests
        self.only = only.lower()
        self.results: list[Measurement] = []
        self.cpu_checks = [cpu_check()]
        people = self.people()
        for role, user in people.items():
            client = Client()
            client.force_login(user)
            for label, url in self.pages(user):
                # What the browser sends: htmx asks the dropdown for its region only.
                headers = {"HX-Request": "true"} if label.endswith("as typed") else {}
                self.measure(
                    client,
                    role,
                    label,
                    "page",
                    lambda url=url, client=client, headers=headers: client.get(
                        url, headers=headers, secure=True
                    ),
                )
        self.api(people)
        self.writes(people)
        self.cpu_checks.append(cpu_check())
        self.report(output)

    # -- who ------------------------------------------------------------------------------

    def people(self) -> dict[str, User]:
        manager = User.objects.filter(username="scale-manager-01").first()
        if manager is None:
            raise CommandError("Load the data set first: manage.py seed_scale")
        rep = User.objects.filter(team__manager=manager, role=User.Role.REP).order_by("pk").first()
        admin, _ = User.objects.get_or_create(
            username="scale-admin",
            defaults={"role": User.Role.ADMIN, "is_staff": True, "is_superuser": True},
        )
        return {"rep": rep, "manager": manager, "admin": admin}

    # -- what ------------------------------------------------------------------------------

    def url(self, name: str, *args, query: str = "") -> str | None:
        try:
            return reverse(name, args=args) + (f"?{query}" if query else "")
        except NoReverseMatch:
            return None

    def pages(self, user: User):
        lead = Lead.objects.visible_to(user).order_by("-pk").first()
        opportunity = Opportunity.objects.visible_to(user).open().order_by("-pk").first()
        company = Company.objects.visible_to(user).order_by("-pk").first()
        contact = Contact.objects.visible_to(user).order_by("-pk").first()
        sample = Lead.objects.visible_to(user).order_by("pk").values("last_name", "email").first()
        candidates = [
            ("My day", self.url("home")),
            ("Lead list", self.url("leads:list")),
            ("Lead list, filtered", self.url("leads:list", query="status=working")),
            ("Lead search by name", self.url("leads:list", query=f"q={sample['last_name']}")),
            ("Lead search by email", self.url("leads:list", query=f"q={sample['email']}")),
            ("Lead detail", lead and self.url("leads:detail", lead.pk)),
            ("Opportunity list", self.url("opportunities:list")),
            ("Board", self.url("opportunities:board")),
            ("Board, filtered", self.url("opportunities:board", query="q=Renewal")),
            (
                "Opportunity detail",
                opportunity and self.url("opportunities:detail", opportunity.pk),
            ),
            ("Company list", self.url("crm:company_list")),
            ("Company search", self.url("crm:company_list", query="q=Cobalt")),
            ("Company detail", company and self.url("crm:company_detail", company.pk)),
            ("Contact list", self.url("crm:contact_list")),
            ("Contact search", self.url("crm:contact_list", query="q=Iglesias")),
            ("Contact detail", contact and self.url("crm:contact_detail", contact.pk)),
            # A surname that many leads, contacts and companies share, typed as a user would.
            ("Global search", self.url("search:search", query="q=iglesias")),
            # The top bar's dropdown, asked at every keystroke: the word as it is being typed.
            ("Global search, as typed", self.url("search:search", query="q=iglesi")),
            ("Dashboard", self.url("reports:dashboard")),
            ("Pipeline report", self.url("reports:pipeline")),
            ("Forecast report", self.url("reports:forecast")),
            ("Team performance", self.url("reports:team_performance")),
            ("Quotas", self.url("forecasting:quotas")),
            ("Lead funnel", self.url("reports:lead_funnel")),
            ("Win/loss", self.url("reports:win_loss")),
            ("Velocity", self.url("reports:velocity")),
            ("Slipped deals", self.url("reports:slipped")),
        ]
        for label, url in candidates:
            if url and self.only in label.lower():
                yield label, url

    def api_calls(self):
        """Every list of the API (a page of its default size, 50), the deals changed in the
        last week as a sync asks for them, and the report figures."""
        week_ago = (timezone.now() - datetime.timedelta(days=7)).isoformat()
        lists = ["leads", "companies", "contacts", "opportunities", "activities"]
        lists += ["pipelines", "lost-reasons", "disqualify-reasons", "lead-sources"]
        lists += ["users", "teams"]
        calls = [(f"API {name}", f"/api/v1/{name}/") for name in lists]
        calls.append(
            (
                "API opportunities, changed since",
                "/api/v1/opportunities/?"
                + urlencode({"updated_since": week_ago, "ordering": "id"}),
            )
        )
        reports = ["pipeline", "forecast", "team-performance", "win-loss", "velocity"]
        calls += [(f"API report {name}", f"/api/v1/reports/{name}/") for name in reports]
        for label, url in calls:
            if self.only in label.lower():
                yield label, url

    def api(self, people):
        """The API as a program calls it: a personal token (its look-up is part of the cost),
        the rate limit out of the way (it is not what is measured)."""
        calls = list(self.api_calls())
        if not calls:
            return
        with override_settings(API_RATE_LIMIT=10**9):
            for role, user in people.items():
                secret = create_token(user=user, name="bench_pages", scope="read").secret
                client = Client(headers={"Authorization": f"Bearer {secret}"})
                for label, url in calls:
                    self.measure(
                        client,
                        role,
                        label,
                        "api",
                        lambda url=url, client=client: client.get(url, secure=True),
                    )

    # -- how -------------------------------------------------------------------------------

    def measure(self, client, role, label, kind, call, setup=None, runs=None):
        measurement = Measurement(label=label, role=role, kind=kind)
        runs = runs or self.requests
        measurement.times_ms, measurement.queries = self.timed(measurement, call, setup, runs)
        if kind == "page":
            measurement.cold_times_ms, measurement.cold_queries = self.timed(
                measurement, call, retire_figures, runs
            )
        self.results.append(measurement)
        self.stdout.write(
            f"{role:<8} {label:<28} median {measurement.median:7.1f} ms  "
            f"p95 {measurement.p95:7.1f} ms  cold p95 {measurement.cold_p95:7.1f} ms  "
            f"{measurement.most_queries:3} queries  HTTP {measurement.status}"
        )

    def timed(self, measurement, call, setup, runs) -> tuple[list[float], int]:
        """The times of ``runs`` calls after two warm-up calls, and the queries of the last."""
        times_ms = []
        for attempt in range(runs + 2):
            if setup:
                setup()
            # The query log holds 9,000 entries; past that CaptureQueriesContext counts wrong.
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = call()
                if getattr(response, "streaming", False):
                    for _chunk in response.streaming_content:
                        pass
                else:
                    _ = response.content
                elapsed = (time.perf_counter() - started) * 1000
            if attempt >= 2:  # two warm-up requests
                times_ms.append(elapsed)
            measurement.status = response.status_code
            if not measurement.answered:
                # A redirect or an error page measures the wrong thing: stop rather than table it.
                raise CommandError(
                    f"{measurement.label} as {measurement.role} answered HTTP {measurement.status}."
                )
        return times_ms, len(queries)

    def writes(self, people):
        """Writes are measured through the same views a user's browser posts to."""
        rep = people["rep"]
        client = Client()
        client.force_login(rep)
        for role in ("rep", "manager"):
            self.measure_move(role, people[role])
        export_url = self.url("opportunities:export")
        if export_url and self.only in "csv export (all deals)":
            # An export of every deal is not a click but a download: a few runs are enough,
            # and its memory is what matters (loadtest/export_memory.py).
            admin = Client()
            admin.force_login(people["admin"])
            self.measure(
                admin,
                "admin",
                "CSV export (all deals)",
                "export",
                lambda: admin.get(export_url, secure=True),
                runs=3,
            )
        self.measure_conversion(rep, client)

    def measure_move(self, role: str, user: User):
        """A card moved back and forth between two stages, posted as the card's form does it:
        the board's filters in the query string (a rep's board shows their own deals), the stage
        and ``next`` in the body, with HX-Request so the changed columns come back."""
        if self.only not in "board move":
            return
        client = Client()
        client.force_login(user)
        deal = Opportunity.objects.visible_to(user).open().filter(owner=user).order_by("pk").first()
        deal = deal or Opportunity.objects.visible_to(user).open().order_by("pk").first()
        if deal is None or not self.url("opportunities:move", deal.pk):
            return
        board_query = "" if user.is_manager or user.is_admin else f"owner={user.pk}"
        move_url = self.url("opportunities:move", deal.pk, query=board_query)
        board_url = self.url("opportunities:board", query=board_query)
        stages = list(deal.pipeline.stages.order_by("order", "pk").values_list("pk", flat=True))
        targets = iter([stages[(i + 1) % 2] for i in range(self.requests + 2)])
        posted = []

        def move():
            posted.append(next(targets))
            return client.post(
                move_url,
                {"stage": posted[-1], "next": board_url},
                headers={"HX-Request": "true"},
                secure=True,
            )

        self.measure(client, role, "Board move", "write", move)
        deal.refresh_from_db(fields=["stage"])
        if deal.stage_id != posted[-1]:
            raise CommandError(f"The board move did not move deal {deal.pk}: check its payload.")

    def measure_conversion(self, rep, client):
        if self.only not in "lead conversion":
            return
        leads = list(
            Lead.objects.visible_to(rep)
            .filter(status=Lead.Status.QUALIFIED)
            .order_by("pk")[: self.requests + 2]
        )
        if len(leads) < self.requests + 2 or not self.url("leads:convert", leads[0].pk):
            return
        queue = iter(leads)

        def convert():
            lead = next(queue)
            return client.post(
                self.url("leads:convert", lead.pk),
                {"contact": ConvertForm.NEW, "company": ConvertForm.NONE},
                secure=True,
            )

        self.measure(client, "rep", "Lead conversion", "write", convert)

    # -- report ----------------------------------------------------------------------------

    def report(self, output: str):
        counts = {
            "users": User.objects.count(),
            "companies": Company.objects.count(),
            "contacts": Contact.objects.count(),
            "leads": Lead.objects.count(),
            "opportunities": Opportunity.objects.count(),
            "activities": Activity.objects.count(),
        }
        lines = [
            "# Performance",
            "",
            f"Measured on {timezone.localdate().isoformat()} with `{self.command_line()}`.",
            "",
            f"- Machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
            f"- Database: {connection.vendor} {self.database_version()}",
            "- Data: " + ", ".join(f"{value:,} {name}" for name, value in counts.items()),
            f"- Targets: pages p95 ≤ {PAGE_TARGET_MS} ms, API lists p95 ≤ {API_TARGET_MS} ms, "
            f"writes p95 ≤ {WRITE_TARGET_MS} ms, "
            f"≤ {QUERY_TARGET} queries; the export of every deal streams (its memory is measured "
            "by loadtest/export_memory.py, below).",
            "",
            "To reproduce (PostgreSQL, from an empty database):",
            "",
            "```sh",
            "export DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_perf DEBUG=1",
            "python manage.py migrate && python manage.py seed_scale --scale 1",
            f"{self.command_line()}",
            "python loadtest/export_memory.py",
            "python loadtest/run.py --users 50 --seconds 60",
            "```",
            "",
            "Server time in-process through Django's test client (no network), after two "
            "warm-up requests; the machine is shared, so its load is noted below each run. "
            "*Warm*: nothing changed since the last request. *Cold*: every cached report figure "
            "retired before each request, as right after a write. Queries: the more of the two.",
            f"Load average when the table was written: {self.load_average()}. "
            "The speed of the machine's cores, for comparing runs across machines: ten million "
            "additions in a pure-Python loop took "
            + " and ".join(f"{ms:,.0f} ms" for ms in self.cpu_checks)
            + " (at the start and at the end of the run).",
            "",
            "| Page | As | Median (ms) | p95 (ms) | Cold median (ms) | Cold p95 (ms) | Queries "
            "| Target met |",
            "|---|---|---:|---:|---:|---:|---:|:---:|",
        ]
        for result in self.results:
            cold = (
                f"{result.cold_median:.1f} | {result.cold_p95:.1f}"
                if result.cold_times_ms
                else "– | –"
            )
            lines.append(
                f"| {result.label} | {result.role} | {result.median:.1f} | {result.p95:.1f} | "
                f"{cold} | {result.most_queries} | {'yes' if result.meets_target else '**no**'} |"
            )
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        existing = Path(output).read_text() if Path(output).exists() else ""
        # The sections written by the other scripts (export memory, load test, notes) start
        # with an HTML comment marker: everything from the first one on is kept.
        marker = "<!-- "
        tail = existing[existing.index(marker) :] if marker in existing else ""
        Path(output).write_text("\n".join(lines) + "\n\n" + tail)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))

    def load_average(self) -> str:
        try:
            return ", ".join(f"{value:.1f}" for value in os.getloadavg())
        except OSError:
            return "unknown"

    def command_line(self) -> str:
        return f"python manage.py bench_pages --requests {self.requests}"

    def database_version(self) -> str:
        if connection.vendor == "postgresql":
            return str(connection.pg_version)
        return ""
