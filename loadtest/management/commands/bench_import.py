"""Time the CSV import on generated data: ``manage.py bench_import --rows 100000``.

Each run reads the file as an upload would, then runs the import exactly as the task does
(check every row in batches with progress, then save the accepted rows in one transaction).
The leads it made are deleted after each run; the median of the runs is printed.
"""

import random
import statistics
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand

from crm.models import User
from leads import importing
from leads.models import Lead, LeadImport

FIRST = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Tim"]
LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell"]
SOURCES = ["", "web", "Referral", "trade-show", "phone"]


def generate_csv(rows: int, seed: int = 1) -> bytes:
    chooser = random.Random(seed)
    lines = ["First name,Last name,Company,Job title,Email,Phone,Website,Source,Notes"]
    for number in range(rows):
        first, last = chooser.choice(FIRST), chooser.choice(LAST)
        company = chooser.choice(COMPANIES)
        email = f"{first}.{last}.{number}@{company}.example".lower()
        if number % 50 == 0:
            email = "not-an-email"  # a few rows are rejected, as in real files
        lines.append(
            f'{first},{last},"{company}, Inc.",Buyer,{email},+34 600 {number:06d},'
            f"https://{company.lower()}.example,{chooser.choice(SOURCES)},Met at the fair"
        )
    return ("\n".join(lines) + "\n").encode()


class Command(BaseCommand):
    help = "Time the CSV import of generated leads; prints the median of a few runs."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args, rows: int, runs: int, **options):
        content = generate_csv(rows)
        self.stdout.write(f"{rows:,} rows, {len(content) / 1e6:.1f} MB of CSV, {runs} runs")
        user, _ = User.objects.get_or_create(
            username="bench-import", defaults={"role": User.Role.MANAGER, "is_active": False}
        )
        timings = []
        try:
            for run in range(1, runs + 1):
                started = time.perf_counter()
                upload = SimpleUploadedFile("bench.csv", content, "text/csv")
                text, headers, total = importing.read_upload(upload)
                lead_import = LeadImport.objects.create(
                    created_by=user,
                    owner=user,
                    file_name="bench.csv",
                    content=text,
                    headers=headers,
                    mapping=importing.guess_mapping(headers),
                    total=total,
                    status=LeadImport.Status.QUEUED,
                )
                importing.run_import(lead_import.pk)
                elapsed = time.perf_counter() - started
                lead_import.refresh_from_db()
                timings.append(elapsed)
                self.stdout.write(
                    f"run {run}: {elapsed:.2f} s ({lead_import.imported:,} imported, "
                    f"{lead_import.rejected:,} rejected, status {lead_import.status})"
                )
                Lead.objects.filter(owner=user).delete()
        finally:
            Lead.objects.filter(owner=user).delete()
            user.delete()
        self.stdout.write(
            self.style.SUCCESS(f"median: {statistics.median(timings):.2f} s for {rows:,} rows")
        )
