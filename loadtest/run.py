"""Load test: the app under gunicorn on PostgreSQL, driven by simulated users over HTTP.

    DATABASE_URL=postgres://.../crm_perf python loadtest/run.py [--users 50] [--seconds 60]

Needs the data set of ``manage.py seed_scale`` in that database. The script

1. gives a known password to the users who will log in (one hash, written with one UPDATE);
2. collects the static files and starts gunicorn on 127.0.0.1 with production settings (no
   DEBUG, the cache in Redis: ``--redis``), as ``gunicorn -c gunicorn.conf.py``;
3. starts ``--users`` simulated users, each a thread with its own keep-alive connection
   (``http.client``, standard library only): they log in through the login form with its CSRF
   token like a browser, then, with a think time between clicks, reps browse the lists,
   search and open leads and deals, move cards on the board and log activities; managers open
   the board, their teams' day, the deal and lead lists and every report;
4. stops by itself after ``--seconds`` (and at most ``--max-requests`` per user), stops
   gunicorn, and writes throughput, percentiles, errors and the workers' peak memory (RSS) into
   docs/performance.md after the ``<!-- load test -->`` marker.

Any answer other than 200/302 (or a network error) counts as an error.
"""

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import redis

BASE_DIR = Path(__file__).resolve().parent.parent
MARKER = "<!-- load test -->"
PASSWORD = "load-test-password-2026"
HOST = "127.0.0.1"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# -- the app's side (Django imported only here) -------------------------------------------


def prepare_users(reps: int, managers: int) -> dict:
    """Pick the users, set their password, and list what each rep may click on."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse

    from crm.models import User
    from leads.models import Lead
    from opportunities.models import Opportunity

    manager_users = list(
        User.objects.filter(username__startswith="scale-manager-").order_by("pk")[:managers]
    )
    rep_users = list(
        User.objects.filter(username__startswith="scale-rep-", role=User.Role.REP).order_by("pk")[
            :: max(1, 180 // max(1, reps))
        ][:reps]
    )
    if not manager_users or not rep_users:
        raise SystemExit("Load the data set first: manage.py seed_scale")
    User.objects.filter(pk__in=[u.pk for u in manager_users + rep_users]).update(
        password=make_password(PASSWORD)
    )

    reports = [
        reverse(name)
        for name in (
            "reports:dashboard",
            "reports:pipeline",
            "reports:forecast",
            "reports:team_performance",
            "reports:lead_funnel",
            "reports:win_loss",
            "reports:velocity",
            "reports:slipped",
        )
    ]
    plan = {"reps": [], "managers": [], "reports": reports}
    for rep in rep_users:
        deals = list(
            Opportunity.objects.visible_to(rep)
            .open()
            .filter(owner=rep)
            .order_by("-pk")
            .values_list("pk", "pipeline__stages__pk")[:400]
        )
        by_deal: dict[int, list[int]] = {}
        for deal, stage in deals:
            by_deal.setdefault(deal, []).append(stage)
        leads = Lead.objects.visible_to(rep).order_by("-pk").values("pk", "last_name")[:40]
        plan["reps"].append(
            {
                "username": rep.username,
                "pk": rep.pk,
                "deals": list(by_deal.items())[:40],
                "leads": [lead["pk"] for lead in leads],
                "names": sorted({lead["last_name"] for lead in leads}),
            }
        )
    for manager in manager_users:
        plan["managers"].append({"username": manager.username, "pk": manager.pk})
    return plan


def start_gunicorn(port: int, workers: int, redis_url: str, log_path: Path) -> subprocess.Popen:
    env = os.environ | {
        "DEBUG": "0",
        # As in production: the workers share one cache, so a write retires cached figures
        # in all of them (each worker's own in-process cache would serve stale ones).
        "REDIS_URL": redis_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only-not-a-secret-" + "x" * 40),
        "ALLOWED_HOSTS": HOST,
        # Plain HTTP on the loopback: no TLS in front of gunicorn here.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(Path(os.environ.get("TMPDIR", "/tmp")) / "crm-loadtest-static"),
        "LOG_REQUESTS": "0",
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    gunicorn = str(Path(python).with_name("gunicorn"))
    command = [
        gunicorn,
        "-c",
        "gunicorn.conf.py",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"gunicorn did not answer on port {port}; see {log_path}")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# -- the browser's side (plain HTTP, no Django) ---------------------------------------------


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def record(self, label: str, elapsed: float, problem: str | None) -> None:
        with self.lock:
            self.times.setdefault(label, []).append(elapsed)
            if problem:
                self.errors.append(f"{label}: {problem}")


class Browser:
    """One user's connection and cookies; keeps the CSRF token the way a browser's htmx does."""

    def __init__(self, port: int, results: Results):
        self.port = port
        self.results = results
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(self, label, method, path, *, body=None, headers=None, ok=(200, 302)):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        problem = None
        text = ""
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _sep, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.status not in ok:
                problem = f"HTTP {response.status} on {method} {path}"
        except (OSError, http.client.HTTPException) as error:
            problem = f"{type(error).__name__} on {method} {path}"
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        self.results.record(label, (time.perf_counter() - started) * 1000, problem)
        return text

    def log_in(self, username: str) -> None:
        page = self.request("login page", "GET", "/accounts/login/")
        token = CSRF_INPUT.search(page)
        self.request(
            "log in",
            "POST",
            "/accounts/login/",
            body={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"http://{HOST}:{self.port}/accounts/login/"},
            ok=(302,),
        )

    def htmx_post(self, label, path, body):
        return self.request(
            label,
            "POST",
            path,
            body=body,
            headers={"HX-Request": "true", "X-CSRFToken": self.cookies.get("csrftoken", "")},
        )


def rep_click(browser: Browser, rep: dict, rng: random.Random, today: str) -> None:
    """One click of a rep: a list, a deal, the board, a card moved or a call logged."""
    choice = rng.random()
    deals = rep["deals"]
    if not deals or choice < 0.08:
        browser.request("my day", "GET", "/")
    elif choice < 0.18:
        browser.request("opportunity list", "GET", f"/opportunities/?page={rng.randint(1, 5)}")
    elif choice < 0.22:
        browser.request("company list", "GET", "/companies/")
    elif choice < 0.26:
        browser.request("contact list", "GET", "/contacts/")
    elif choice < 0.32:
        browser.request("lead list", "GET", f"/leads/?page={rng.randint(1, 5)}")
    elif choice < 0.36 and rep["names"]:
        query = urlencode({"q": rng.choice(rep["names"])})
        browser.request("lead search", "GET", f"/leads/?{query}")
    elif choice < 0.42 and rep["leads"]:
        browser.request("lead detail", "GET", f"/leads/{rng.choice(rep['leads'])}/")
    elif choice < 0.56:
        deal, _stages = rng.choice(deals)
        browser.request("opportunity detail", "GET", f"/opportunities/{deal}/")
    elif choice < 0.70:
        browser.request("board", "GET", "/opportunities/board/")
    elif choice < 0.86:
        # The card's own form: the board's filters in the query string, "next" beside the stage.
        deal, stages = rng.choice(deals)
        query = urlencode({"owner": rep["pk"]})
        browser.htmx_post(
            "board move",
            f"/opportunities/{deal}/move/?{query}",
            {"stage": rng.choice(stages), "next": f"/opportunities/board/?{query}"},
        )
    else:
        deal, _stages = rng.choice(deals)
        browser.htmx_post(
            "log activity",
            f"/activities/log/?opportunity={deal}&slot=timeline",
            {"kind": "call", "subject": "Load test call", "done_on": today, "outcome": ""},
        )


def manager_click(browser: Browser, reports: list[str], rng: random.Random) -> None:
    """One click of a manager: the board, their teams' day, the deal or lead list, or a report."""
    choice = rng.random()
    if choice < 0.25:
        browser.request("board (manager)", "GET", "/opportunities/board/")
    elif choice < 0.40:
        browser.request("my day (manager)", "GET", "/")
    elif choice < 0.50:
        browser.request("opportunity list (manager)", "GET", "/opportunities/?status=open")
    elif choice < 0.60:
        browser.request("lead list (manager)", "GET", "/leads/")
    else:
        report = rng.choice(reports)
        browser.request(f"report {report}", "GET", report)


def simulate(user, kind, plan, port, results, logins, start, max_requests, seed, think, today):
    """Log in (timed apart: a password hash costs a second of CPU by design), wait for every
    user to be in, then click until the measured window ends."""
    rng = random.Random(seed)
    browser = Browser(port, logins)
    browser.log_in(user["username"])
    browser.results = results
    start["ready"].wait()
    time.sleep(rng.uniform(0, think[1]))  # users do not all click at the same instant
    for _number in range(max_requests):
        if time.monotonic() >= start["stop_at"]:
            break
        if kind == "rep":
            rep_click(browser, user, rng, today)
        else:
            manager_click(browser, plan["reports"], rng)
        time.sleep(rng.uniform(*think))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(args, results, logins, elapsed: float, peak_rss: dict[int, float], workers: int):
    everything = [t for times in results.times.values() for t in times]
    total = len(everything)
    lines = [
        MARKER,
        "",
        "## Load test",
        "",
        f"`DATABASE_URL=... python loadtest/run.py --users {args.users} --seconds {args.seconds}`:"
        f" gunicorn with {workers} sync workers on 127.0.0.1, PostgreSQL, Redis as the shared"
        f" cache, {args.users} simulated"
        f" users ({args.managers} managers, the rest reps) for {elapsed:.0f} s, each waiting"
        f" {args.think[0]}–{args.think[1]} s between clicks; every response read to the end.",
        "",
        f"- Requests: {total:,}, errors: {len(results.errors)}",
        f"- Throughput: {total / elapsed:.1f} requests/s",
        f"- Response time: median {statistics.median(everything):.0f} ms, "
        f"p95 {percentile(everything, 0.95):.0f} ms, max {max(everything):.0f} ms",
        f"- Peak RSS per gunicorn worker: {max(peak_rss.values(), default=0):.0f} MB "
        f"(target < 200 MB; workers seen: {len(peak_rss)})",
        f"- Before the measured window, every user logged in through the login form: "
        f"{len(logins.times.get('log in', []))} logins, median "
        f"{statistics.median(logins.times.get('log in', [0])):.0f} ms (a password hash is "
        "slow by design; logins are not counted above)",
        "",
        "| Request | Count | Median (ms) | p95 (ms) |",
        "|---|---:|---:|---:|",
    ]
    for label, times in sorted(results.times.items()):
        lines.append(
            f"| {label} | {len(times)} | {statistics.median(times):.0f} | "
            f"{percentile(times, 0.95):.0f} |"
        )
    if results.errors:
        lines += ["", "Errors (first ten):", ""] + [f"- {e}" for e in results.errors[:10]]
    text = "\n".join(lines) + "\n"
    replace_section(Path(args.output), MARKER, text)
    return text


def replace_section(output: Path, marker: str, text: str) -> None:
    """Put ``text`` (which starts with ``marker``) in place of the section that starts with
    ``marker`` and runs to the next ``<!-- `` marker, or at the end of the file."""
    existing = output.read_text() if output.exists() else ""
    if marker not in existing:
        output.write_text(existing.rstrip("\n") + "\n\n" + text)
        return
    head, _sep, rest = existing.partition(marker)
    following = rest.find("\n<!-- ")
    tail = rest[following + 1 :] if following >= 0 else ""
    output.write_text(head + text + ("\n" + tail if tail else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--managers", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=1000, help="per user")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--port", type=int, default=8171)
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/1", help="the shared cache (flushed first)"
    )
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0))
    parser.add_argument("--output", default=str(BASE_DIR / "docs" / "performance.md"))
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database holding the data set.")

    reps = args.users - args.managers
    plan = prepare_users(reps, args.managers)
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / "crm-loadtest-gunicorn.log"
    # A clean cache: figures, sessions and login counts of an earlier run must not carry over.
    redis.Redis.from_url(args.redis).flushdb()
    server = start_gunicorn(args.port, args.workers, args.redis, log_path)
    results, logins = Results(), Results()
    peak_rss: dict[int, float] = {}
    start = {"ready": threading.Event(), "stop_at": float("inf")}
    try:
        users = [("rep", u) for u in plan["reps"]] + [("manager", u) for u in plan["managers"]]
        threads = [
            threading.Thread(
                target=simulate,
                args=(user, kind, plan, args.port, results, logins, start, args.max_requests),
                kwargs={"seed": number, "think": args.think, "today": today},
                daemon=True,
            )
            for number, (kind, user) in enumerate(users)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        while len(logins.times.get("log in", [])) < len(users) and time.monotonic() < deadline:
            time.sleep(0.2)
        started = time.monotonic()
        start["stop_at"] = started + args.seconds
        start["ready"].set()
        while any(thread.is_alive() for thread in threads):
            for pid in worker_pids(server.pid):
                peak_rss[pid] = max(peak_rss.get(pid, 0.0), rss_mb(pid))
            time.sleep(0.5)
            if time.monotonic() > start["stop_at"] + 60:
                break  # a request stuck past its timeout: report what we have
        elapsed = min(time.monotonic(), start["stop_at"]) - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    results.errors += logins.errors
    print(report(args, results, logins, elapsed, peak_rss, args.workers))
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
