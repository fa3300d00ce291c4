"""`python -m bench.run` (`make bench`): measure the app on a large data set, in one run.

1. The data set (`bench.generate`, default 5 panels, 250 indicators × 120 months, 500 meetings,
   5,000 recommendations) in PostgreSQL `scrutiny_benchdata` when PostgreSQL answers on
   127.0.0.1:5432, else in the SQLite file bench/data/bench.sqlite3; reused when it was made
   with the same parameters, generator and migrations. BENCH_DATABASE_URL overrides the choice.
2. Server time (median, p95) and query count of the main pages, in-process with Django's test
   client under the production settings, anonymous, after a warm-up request.
3. The analysis of every indicator, the import of a 250 × 12 workbook, the tracker's exports of
   5,000 rows, `check_data` over everything.
4. Requests per second of the dashboard and /healthz under gunicorn with two workers and the
   production settings, as `make serve` starts it (wrk, or a threaded Python client without
   wrk; 127.0.0.1 only, bounded in time), with the cache and without it.
5. The bytes of a first load of the dashboard and an indicator page in headless Chromium.

Writes bench/results.md (Markdown) and prints the same to stdout; progress goes to stderr.
A page or tool that is missing or fails is reported as "not available", never a crash.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import generate
from bench.generate import DATA_DIR, Params
from indicators.rules import benchmark, vocabulary
from indicators.rules import statistics as statistics_rules
from indicators.rules.calendar import financial_year
from indicators.rules.statistics import IndicatorInput

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.md"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/scrutiny_benchdata"
SQLITE_PATH = DATA_DIR / "bench.sqlite3"
NOT_AVAILABLE = "not available"

# Goals (brief of issue 7).
GOAL_RPS_SHARE_CACHED = 0.20
GOAL_RPS_SHARE_UNCACHED = 0.05
GOAL_MAX_QUERIES = 10
GOAL_IMPORT_S = 1.0
GOAL_EXPORT_S = 2.0
GOAL_ANALYSIS_MS = 50.0
GOAL_FIRST_LOAD_KB = 600

#: Seconds of load on each address before it is measured.
WARM_SECONDS = 2

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Content types whitenoise does not compress (already compressed).
INCOMPRESSIBLE = ("image/png", "image/jpeg", "image/gif", "image/webp", "font/woff2", "font/woff")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Results --------------------------------------------------------------------------------


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        lines.append("| " + " | ".join(self.headers) + " |")
        lines.append("|" + "|".join("---" for _ in self.headers) + "|")
        for row in self.rows:
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
        for note in self.notes:
            lines.append("")
            lines.append(note)
        return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    if ok is None:
        return NOT_AVAILABLE
    return "PASS" if ok else "MISS"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def seconds_text(seconds: float) -> str:
    return f"{seconds:.2f} s"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def unavailable(error: BaseException | str) -> str:
    if isinstance(error, BaseException):
        text = f"{type(error).__name__}: {error}".splitlines()[0]
    else:
        text = error
    return f"{NOT_AVAILABLE} ({text[:160]})"


# --- Set-up ---------------------------------------------------------------------------------


def postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=3
        ):
            return True
    except Exception:
        return False


def choose_database() -> str:
    """BENCH_DATABASE_URL, else PostgreSQL's scrutiny_benchdata when it answers, else SQLite."""
    url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if url:
        return url
    if postgres_answers():
        return DEFAULT_PG_URL
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{SQLITE_PATH}"


def server_env(url: str, settings_module: str = "scrutiny.settings.prod") -> dict[str, str]:
    """The environment `make serve` gives the production settings (see the Makefile), with the
    bench's database and a Redis database of its own (BENCH_REDIS_URL, default number 15), which
    `cache.clear()` empties without touching any other."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        SECRET_KEY=os.environ.get(
            "SECRET_KEY", f"local-trial-{socket.gethostname()}-not-for-real-use-0123456789abcdef"
        ),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        CSRF_TRUSTED_ORIGINS="http://127.0.0.1,http://localhost",
        DATABASE_URL=url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        INSECURE_LOCAL_TRIAL="true",
    )
    return env


def configure_django(url: str) -> None:
    os.environ.update(server_env(url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def machine(url: str, *, load: str) -> list[tuple[str, str]]:
    import django
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    name = connection.settings_dict.get("NAME")
    wrk = shutil.which("wrk")
    wrk_version = "not installed (threaded Python client used)"
    if wrk:
        out = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
        wrk_version = (out.stdout + out.stderr).strip().splitlines()[0].split(" [")[0]
    from importlib.metadata import version

    return [
        ("Date", datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC")),
        ("CPU", cpu),
        ("Cores", str(os.cpu_count())),
        ("Load average at the start", load),
        ("Memory", memory),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("Database", f"{database} (`{Path(str(name)).name}`)"),
        ("gunicorn", version("gunicorn")),
        ("Load generator", wrk_version),
    ]


# --- In-process pages -------------------------------------------------------------------------


@dataclass
class PageTarget:
    name: str
    urls: list[str]  # the first that answers 200 is measured


@dataclass
class PageResult:
    name: str
    url: str = ""
    cold_time: float = 0.0
    cold_queries: int = 0
    times: list[float] = field(default_factory=list)
    queries: int = 0
    error: str = ""


def _get(client, url):
    response = client.get(url)
    # Streaming responses (none expected) would not be consumed otherwise.
    _ = response.content
    return response


def time_page(client, target: PageTarget, *, requests: int, budget: float) -> PageResult:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = PageResult(target.name)
    failures = []
    for url in target.urls:
        try:
            response = _get(client, url)  # the warm-up: imports, templates, connections
        except Exception as error:  # a half-written page must not stop the bench
            failures.append(f"{url}: {unavailable(error)}")
            continue
        if response.status_code != 200:
            failures.append(f"{url}: HTTP {response.status_code}")
            continue
        result.url = url
        break
    if not result.url:
        result.error = "; ".join(failures) or "no URL"
        return result
    # The first request after the data changed (which makes every cached page stale).
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        _get(client, result.url)
        result.cold_time = time.perf_counter() - start
    result.cold_queries = len(captured.captured_queries)
    began = time.perf_counter()
    while len(result.times) < requests and (
        time.perf_counter() - began < budget or len(result.times) < 5
    ):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            _get(client, result.url)
            result.times.append(time.perf_counter() - start)
        result.queries = max(result.queries, len(captured.captured_queries))
    return result


def page_targets() -> list[PageTarget]:
    """The pages to time, with the objects they show chosen from the data set: the first
    panel by name (the home dashboard's), its latest full financial year, an indicator with
    recommendations, its latest meeting with minutes."""
    from django.db.models import Count, Max

    from indicators.models import Indicator, Publication
    from meetings.models import Meeting, Minute, Panel

    panel = Panel.objects.order_by("name").first()
    latest = Publication.objects.filter(panel=panel).aggregate(m=Max("month"))["m"]
    year = financial_year(month=latest) if latest else 2021
    if latest and latest.month != 3:
        year -= 1  # the latest complete year
    indicator = (
        Indicator.objects.filter(panel=panel, is_active=True)
        .annotate(n=Count("recommendations"))
        .order_by("-n", "order")
        .first()
    )
    meeting_id = (
        Minute.objects.filter(panel=panel).order_by("-meeting__start").values_list(
            "meeting_id", flat=True
        ).first()
    )
    meeting = Meeting.objects.get(pk=meeting_id) if meeting_id else None
    from django.utils import timezone

    report_day = timezone.localtime(meeting.start).date().isoformat() if meeting else "2022-03-31"
    slug = panel.slug if panel else "none"
    return [
        PageTarget("Dashboard", ["/"]),
        PageTarget(
            "Monitoring table",
            [
                f"/panels/{slug}/performance/?year={year}",
                f"/indicators/panels/{slug}/performance/?year={year}",
            ],
        ),
        PageTarget("Indicator page", [f"/indicators/{indicator.pk if indicator else 0}/"]),
        PageTarget("Tracker list", ["/recommendations/"]),
        PageTarget(
            "Tracker report of a meeting",
            [f"/recommendations/report/{report_day}/?panel={slug}"],
        ),
        PageTarget("Meeting page", [f"/meetings/{meeting_id or 0}/"]),
        PageTarget("API: indicators", ["/api/indicators/"]),
    ]


def bench_pages(section: Section, *, requests: int, budget: float) -> dict[str, str]:
    from django.test import Client

    client = Client()
    urls: dict[str, str] = {}
    targets = page_targets()
    for target in targets:
        log(f"page: {target.name} ({target.urls[0]})")
        result = time_page(client, target, requests=requests, budget=budget)
        if result.error:
            section.add(
                target.name, f"`{target.urls[0]}`", unavailable(result.error), "", "", "", "",
                NOT_AVAILABLE,
            )
            continue
        urls[target.name] = result.url
        most = max(result.cold_queries, result.queries)
        section.add(
            target.name,
            f"`{result.url}`",
            f"{ms(result.cold_time)}, {result.cold_queries} queries",
            ms(statistics.median(result.times)),
            ms(p95(result.times)),
            len(result.times),
            result.queries,
            verdict(most <= GOAL_MAX_QUERIES),
        )
    return urls


# --- Work ---------------------------------------------------------------------------------------


def timed(function: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def analysis_inputs():
    """Every active indicator's published series, targets and benchmarks as `analyse` takes
    them, and the month to analyse (its panel's latest publication)."""
    from collections import defaultdict

    from django.db.models import Max

    from indicators.models import (
        BenchmarkValue,
        Indicator,
        Publication,
        Target,
        Value,
        monitoring_of,
    )

    latest = dict(
        Publication.objects.values("panel_id").annotate(m=Max("month")).values_list("panel_id", "m")
    )
    series: dict[int, dict] = defaultdict(dict)
    for pk, month, number in Value.objects.published().values_list(
        "indicator_id", "month", "number"
    ).iterator(chunk_size=10000):
        series[pk][month] = None if number is None else float(number)
    targets: dict[int, dict] = defaultdict(dict)
    target_tolerances: dict[int, dict] = defaultdict(dict)
    for pk, year, number, bound, tolerance in Target.objects.values_list(
        "indicator_id", "year", "number", "bound", "amber_tolerance"
    ):
        targets[pk][year] = vocabulary.Target(
            None if number is None else float(number), bound if number is not None else ""
        )
        target_tolerances[pk][year] = None if tolerance is None else float(tolerance)
    benchmarks: dict[int, list] = defaultdict(list)
    for pk, name, year, number in BenchmarkValue.objects.values_list(
        "indicator_id", "comparator__name", "year", "number"
    ):
        benchmarks[pk].append(
            benchmark.Benchmark(name, year, None if number is None else float(number))
        )
    inputs = []
    for indicator in Indicator.objects.filter(is_active=True).select_related("panel"):
        inputs.append(
            (
                IndicatorInput(
                    name=indicator.name,
                    outturn_type=indicator.outturn_type,
                    measure_type=indicator.measure_type,
                    polarity=indicator.polarity,
                    decimals=indicator.decimals,
                    tolerance=float(monitoring_of(indicator.panel).default_amber_tolerance),
                    indicator_tolerance=None
                    if indicator.amber_tolerance is None
                    else float(indicator.amber_tolerance),
                    target_tolerances=target_tolerances[indicator.pk],
                    series=series[indicator.pk],
                    targets=targets[indicator.pk],
                    benchmarks=benchmarks[indicator.pk],
                ),
                latest.get(indicator.panel_id),
            )
        )
    return [(i, m) for i, m in inputs if m is not None]


def bench_analysis(section: Section, *, repeat: int) -> None:

    log("analysis")
    try:
        inputs = analysis_inputs()
        months = max((len(i.series) for i, _ in inputs), default=0)

        def run():
            for indicator, month in inputs:
                statistics_rules.analyse(indicator=indicator, month=month)

        times, _ = timed(run, repeat)
    except Exception as error:
        section.add("Analysis of every indicator", unavailable(error), "", NOT_AVAILABLE)
        return
    best = statistics.median(times) * 1000
    section.add(
        f"Analysis (`indicators.rules.statistics.analyse`) of {len(inputs)} indicators"
        f" × {months} months",
        f"{best:.1f} ms (median of {repeat}; best {min(times) * 1000:.1f} ms)",
        f"≤ {GOAL_ANALYSIS_MS:.0f} ms",
        verdict(best <= GOAL_ANALYSIS_MS),
    )


def _import_year() -> int:
    """The latest financial year that has ended."""
    from django.utils import timezone

    today = timezone.localdate()
    return financial_year(month=today) - 1


def bench_import(section: Section, *, repeat: int) -> None:
    """A workbook of 250 indicators × 12 months in the 2022 layout, imported into a panel whose
    indicators it names (created for the purpose inside a transaction that is rolled back, so
    the data set is left as it was): `import_dataset --dry-run`, and the full import."""
    from django.core.management import call_command
    from django.db import transaction

    from indicators.models import Indicator, PriorityArea
    from meetings.models import Panel

    log("import")
    count, areas = 250, 5
    kinds = ("percentage", "number", "percentage", "rate", "number")
    tables = [
        (
            f"Imported priority area {a + 1}",
            [(f"Imported indicator {a + 1}.{k + 1}", kinds[k % 5]) for k in range(count // areas)],
        )
        for a in range(areas)
    ]
    year = _import_year()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"import-{count}x12.xlsx"
    path.write_bytes(generate.import_workbook(tables=tables, year=year))
    label = f"{count} indicators × 12 months ({year}/{(year + 1) % 100:02d}, 2022 layout)"
    try:
        from indicators import services
    except Exception as error:
        section.add(f"Import of {label}", unavailable(error), "", NOT_AVAILABLE)
        return
    with transaction.atomic():
        panel = Panel.objects.create(name="Bench import panel", slug="bench-import")
        saved = PriorityArea.objects.bulk_create(
            PriorityArea(panel=panel, name=name, order=a) for a, (name, _) in enumerate(tables)
        )
        Indicator.objects.bulk_create(
            Indicator(
                panel=panel,
                priority_area=area,
                name=name,
                outturn_type=outturn,
                polarity="higher",
                decimals=0 if outturn == "number" else 1,
                order=a * 100 + k,
            )
            for a, ((_, rows), area) in enumerate(zip(tables, saved, strict=True))
            for k, (name, outturn) in enumerate(rows)
        )

        def dry_run():
            out, err = io.StringIO(), io.StringIO()
            call_command(
                "import_dataset", str(path), "--panel", panel.slug, "--dry-run",
                stdout=out, stderr=err,
            )
            return out.getvalue().strip()

        try:
            times, summary = timed(dry_run, repeat)
            median = statistics.median(times)
            section.add(
                f"Import `import_dataset --dry-run` of {label}",
                f"{seconds_text(median)} (median of {repeat}): {summary}",
                f"≤ {GOAL_IMPORT_S:.0f} s",
                verdict(median <= GOAL_IMPORT_S),
            )
        except Exception as error:
            section.add(f"Import `--dry-run` of {label}", unavailable(error), "", NOT_AVAILABLE)

        def write():
            with transaction.atomic():
                plan, result = services.import_workbook(
                    user=services.COMMAND_LINE, panel=panel, source=path
                )
                transaction.set_rollback(True)
            if plan.errors:
                raise RuntimeError(f"{len(plan.errors)} error(s): {plan.errors[0]}")
            return plan

        try:
            times, plan = timed(write, repeat)
            median = statistics.median(times)
            section.add(
                f"Import (read, validate, write: `services.import_workbook`) of {label}",
                f"{seconds_text(median)} (median of {repeat}; {len(plan.values)} values written)",
                f"≤ {GOAL_IMPORT_S:.0f} s",
                verdict(median <= GOAL_IMPORT_S),
            )
        except Exception as error:
            section.add(f"Import (write) of {label}", unavailable(error), "", NOT_AVAILABLE)
        transaction.set_rollback(True)


def bench_exports(section: Section, *, repeat: int, client=None) -> None:
    from django.contrib.auth.models import AnonymousUser

    log("exports")
    try:
        from recommendations import exports, selectors
        from recommendations.models import Recommendation
    except Exception as error:
        section.add("Tracker export", unavailable(error), "", NOT_AVAILABLE)
        return
    for export_format in ("xlsx", "csv"):

        def run(export_format=export_format):
            groups = selectors.tracker_groups(Recommendation.objects.all())
            content, _ = exports.export_bytes(
                export_format=export_format,
                panel_name="Scrutiny panels",
                title="Scrutiny Monitoring – every recommendation",
                groups=groups,
            )
            return sum(len(g.items) for g in groups), len(content)

        try:
            times, (rows, size) = timed(run, repeat)
            median = statistics.median(times)
            section.add(
                f"Tracker export, {export_format}, {rows:,} rows (selector + exporter)",
                f"{seconds_text(median)} (median of {repeat}; {size / 1024:.0f} KB)",
                f"≤ {GOAL_EXPORT_S:.0f} s",
                verdict(median <= GOAL_EXPORT_S),
            )
        except Exception as error:
            section.add(f"Tracker export, {export_format}", unavailable(error), "", NOT_AVAILABLE)
    if client is None:
        return
    try:
        open_rows = Recommendation.objects.visible_to(AnonymousUser()).on_list().count()
    except Exception as error:
        section.add("Tracker export via the URL", unavailable(error), "", NOT_AVAILABLE)
        return
    for export_format in ("xlsx", "csv"):
        url = f"/recommendations/?format={export_format}"
        try:

            def fetch(url=url):
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"HTTP {response.status_code}")
                return len(response.content)

            times, size = timed(fetch, repeat)
            median = statistics.median(times)
            section.add(
                f"Tracker export via `{url}` (the open list, {open_rows:,} rows)",
                f"{seconds_text(median)} (median of {repeat}; {size / 1024:.0f} KB)",
                f"≤ {GOAL_EXPORT_S:.0f} s",
                verdict(median <= GOAL_EXPORT_S),
            )
        except Exception as error:
            section.add(f"Tracker export via `{url}`", unavailable(error), "", NOT_AVAILABLE)


def bench_check_data(section: Section) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    log("check_data")
    out = io.StringIO()
    start = time.perf_counter()
    try:
        call_command("check_data", stdout=out)
        outcome = "no problems"
    except CommandError as error:
        outcome = str(error)
    except Exception as error:
        section.add("`manage.py check_data` over the data set", unavailable(error), "", "")
        return
    section.add(
        "`manage.py check_data` over the data set",
        f"{seconds_text(time.perf_counter() - start)} ({outcome})",
        "",
        "",
    )


# --- The production server --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with two workers under the production settings, as `make serve` runs it, on a
    free port of 127.0.0.1. Stopped (by its own process id) on leaving the block."""

    def __init__(self, *, url: str, settings_module: str):
        self.port = free_port()
        self.env = server_env(url, settings_module)
        self.process: subprocess.Popen | None = None
        self.log = DATA_DIR / f"gunicorn-{settings_module.rsplit('.', 1)[-1]}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log_file:
            self.process = subprocess.Popen(
                [
                    str(gunicorn), "scrutiny.wsgi:application",
                    "--bind", f"127.0.0.1:{self.port}",
                    "--workers", "2",
                    "--access-logfile", "-",
                    "--forwarded-allow-ips", "127.0.0.1",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up (see {self.log})")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def warm(self, path: str, count: int = 8) -> int:
        status = 0
        for _ in range(count):
            try:
                with urllib.request.urlopen(self.base + path, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
        return status


@dataclass
class Load:
    rps: float
    requests: int
    errors: int
    latency: str = ""


def wrk_load(url: str, *, seconds: int, connections: int = 4) -> Load:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=False,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors:.*", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    if not rps:
        raise RuntimeError(f"wrk gave no figure: {out.strip()[:200]}")
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(0)))
    latency = f"p50 {p50.group(1)}, p99 {p99.group(1)}" if p50 and p99 else ""
    return Load(float(rps.group(1)), int(total.group(1)) if total else 0, errors, latency)


def python_load(url: str, *, seconds: int, connections: int = 4) -> Load:
    """Without wrk: `connections` threads requesting `url` in a loop until the time is up."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    counts = [0] * connections
    errors = [0] * connections
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < deadline:
            try:
                conn.request("GET", parts.path or "/")
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    return Load(sum(counts) / elapsed, sum(counts) + sum(errors), sum(errors))


@dataclass
class DashboardCost:
    """Where an uncached dashboard request's time goes, in-process, one request at a time."""

    total_ms: float
    dataset_ms: float
    database_ms: float
    requests: int

    def text(self) -> str:
        drawing = self.total_ms - self.dataset_ms
        return (
            f"In-process, one at a time, an uncached dashboard takes {self.total_ms:.1f} ms "
            f"(median of {self.requests}): {self.dataset_ms:.1f} ms to load and analyse the "
            "panel's dataset (every published month, as the SPC icons judge the whole history; "
            f"{self.database_ms:.1f} ms of it in PostgreSQL) and {drawing:.1f} ms to draw the "
            "tiles, sparklines and page."
        )


def dashboard_cost(*, requests: int = 20) -> DashboardCost:
    """Measure `DashboardCost` with Django's DummyCache, as `bench.settings_nocache` runs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from indicators import selectors
    from meetings.models import Panel

    database: list[float] = []

    def timed_query(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            database[-1] += time.perf_counter() - began

    nocache = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client = Client()
    panel = Panel.objects.order_by("name").first()
    with override_settings(CACHES=nocache):
        client.get("/")
        totals, datasets = [], []
        for _ in range(requests):
            began = time.perf_counter()
            client.get("/")
            totals.append(time.perf_counter() - began)
            database.append(0.0)
            began = time.perf_counter()
            with connection.execute_wrapper(timed_query):
                selectors.dashboard_dataset(panel=panel)
            datasets.append(time.perf_counter() - began)
    return DashboardCost(
        total_ms=statistics.median(totals) * 1000,
        dataset_ms=statistics.median(datasets) * 1000,
        database_ms=statistics.median(database) * 1000,
        requests=requests,
    )


def bench_server(
    section: Section,
    *,
    url: str,
    seconds: int,
    dashboard: str = "/",
    cost: DashboardCost | None = None,
) -> list[str]:
    """Requests per second of the dashboard and /healthz, with the cache and without; when the
    uncached goal is missed, a note of what bounds it (`cost`)."""
    load = wrk_load if shutil.which("wrk") else python_load
    notes = []
    for label, settings_module, goal in (
        ("with the cache (warm)", "scrutiny.settings.prod", GOAL_RPS_SHARE_CACHED),
        ("without the cache", "bench.settings_nocache", GOAL_RPS_SHARE_UNCACHED),
    ):
        log(f"gunicorn {label}")
        try:
            with Server(url=url, settings_module=settings_module) as server:
                status = server.warm(dashboard)
                server.warm("/healthz")
                if status != 200:
                    raise RuntimeError(f"the dashboard answered HTTP {status}")
                # Both workers warm: connections, templates, the cache.
                load(f"{server.base}/healthz", seconds=WARM_SECONDS)
                load(f"{server.base}{dashboard}", seconds=WARM_SECONDS)
                health = load(f"{server.base}/healthz", seconds=seconds)
                board = load(f"{server.base}{dashboard}", seconds=seconds)
        except Exception as error:
            section.add(label, unavailable(error), "", "", "", NOT_AVAILABLE)
            continue
        share = board.rps / health.rps if health.rps else 0.0
        errors = health.errors + board.errors
        section.add(
            label,
            f"{health.rps:,.0f} req/s" + (f" ({health.latency})" if health.latency else ""),
            f"{board.rps:,.1f} req/s" + (f" ({board.latency})" if board.latency else ""),
            f"{share:.1%}",
            f"≥ {goal:.0%}",
            verdict(share >= goal) + (f" ({errors} failed requests)" if errors else ""),
        )
        if share < goal and board.rps and cost is not None:
            cores = os.cpu_count() or 1
            notes.append(
                f"What bounds the dashboard {label}: the server's {cores} cores (shared with the "
                f"load generator) gave {board.rps:,.0f} requests a second, about "
                f"{1000 * cores / board.rps:.0f} ms of CPU each; {goal:.0%} of /healthz would be "
                f"{goal * health.rps:,.0f} a second, about {1000 * cores / (goal * health.rps):.0f}"
                f" ms each. {cost.text()}"
            )
    client = "wrk with 2 threads" if load is wrk_load else "a threaded Python client (no wrk)"
    notes.append(
        f"{seconds} s per figure after {WARM_SECONDS} s of warm-up, 4 connections, {client}, "
        "against 127.0.0.1; the load "
        "generator shares the machine's "
        "cores with the server. gunicorn is started as `make serve` starts it (production "
        "settings, 2 workers, access log on stdout). No environment variable turns the cache "
        "off, so \"without the cache\" runs `bench.settings_nocache` (the production settings "
        "with Django's DummyCache)."
    )
    return notes


# --- Bytes of a first load ----------------------------------------------------------------------


def _gzip_size(body: bytes, content_type: str) -> int:
    if content_type.startswith(INCOMPRESSIBLE):
        return len(body)
    return min(len(body), len(gzip.compress(body, compresslevel=9)))


def first_load_bytes(base: str, pages: list[tuple[str, str]]) -> list[tuple[str, dict]]:
    """For each page: the bytes of every response of a first load in a fresh Chromium profile:
    as sent (encoded body, as whitenoise and gunicorn served it), decoded, and gzipped (level
    9, as whitenoise compresses static files; the HTML as a proxy would)."""
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, path in pages:
                context = browser.new_context()
                page = context.new_page()
                responses = []
                page.on("response", lambda response, found=responses: found.append(response))
                page.goto(base + path, wait_until="networkidle", timeout=60_000)
                totals = {
                    "sent": 0, "decoded": 0, "gzip": 0, "requests": 0, "kinds": {}, "html": "",
                }
                for response in responses:
                    if response.status >= 300:
                        continue
                    try:
                        body = response.body()
                        sent = response.request.sizes()["responseBodySize"]
                    except Exception:
                        continue
                    content_type = response.headers.get("content-type", "")
                    kind = content_type.split(";")[0].split("/")[-1] or "other"
                    if kind == "html" and not totals["html"]:
                        encoding = response.headers.get("content-encoding", "")
                        totals["html"] = f"sent with {encoding}" if encoding else "uncompressed"
                    totals["sent"] += sent
                    totals["decoded"] += len(body)
                    totals["gzip"] += _gzip_size(body, content_type)
                    totals["requests"] += 1
                    totals["kinds"][kind] = totals["kinds"].get(kind, 0) + sent
                found.append((name, totals))
                context.close()
        finally:
            browser.close()
    return found


def bench_bytes(section: Section, *, url: str, pages: list[tuple[str, str]]) -> None:
    log("first-load bytes (Chromium)")
    if not Path(CHROMIUM).exists():
        for name, path in pages:
            section.add(name, f"`{path}`", unavailable(f"no {CHROMIUM}"), "", "", "", "")
        return
    try:
        with Server(url=url, settings_module="scrutiny.settings.prod") as server:
            measured = first_load_bytes(server.base, pages)
    except Exception as error:
        for name, path in pages:
            section.add(name, f"`{path}`", unavailable(error), "", "", "", NOT_AVAILABLE)
        return
    for (name, totals), (_, path) in zip(measured, pages, strict=True):
        kinds = ", ".join(
            f"{kind} {size / 1024:.0f} KB"
            for kind, size in sorted(totals["kinds"].items(), key=lambda kv: -kv[1])
        )
        sent_kb, gzip_kb = totals["sent"] / 1024, totals["gzip"] / 1024
        section.add(
            name,
            f"`{path}`",
            f"{sent_kb:,.0f} KB in {totals['requests']} responses ({kinds}; HTML "
            f"{totals['html'] or 'not seen'})",
            f"{gzip_kb:,.0f} KB",
            f"{totals['decoded'] / 1024:,.0f} KB",
            f"≤ {GOAL_FIRST_LOAD_KB} KB",
            f"as sent {verdict(sent_kb <= GOAL_FIRST_LOAD_KB)}, "
            f"gzip {verdict(gzip_kb <= GOAL_FIRST_LOAD_KB)}",
        )


# --- The run --------------------------------------------------------------------------------------


def dataset_section(params: Params, reused: bool, seconds: float, url: str) -> Section:
    section = Section("Data set", ["What", "Rows"])
    stored = generate.stored_counts()
    for name, count in stored["counts"].items():
        section.add(name, f"{count:,}")
    how = (
        f"reused (generated {stored['generated_at']})"
        if reused
        else f"generated in {seconds:.1f} s with bulk_create"
    )
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    section.notes.append(
        f"Parameters: {json.dumps(params.__dict__)}; {len(params.months)} months "
        f"({params.months[0]:%B %Y} to {params.months[-1]:%B %Y}), every value published. "
        f"{engine} database, {how}."
    )
    return section


def render(title_rows: list[tuple[str, str]], sections: list[Section], total: float) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench.run`); the goals are those of issue 7. "
        f"The whole run took {total:.0f} s.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {key} | {value} |" for key, value in title_rows]
    lines += ["", "## Summary", ""]
    tally = {"PASS": 0, "MISS": 0, NOT_AVAILABLE: 0}
    for section in sections:
        for row in section.rows:
            for word in tally:
                if any(word in cell for cell in row[1:]):
                    tally[word] += 1
                    if word != "PASS":
                        lines.append(f"- {word}: {section.title} – {row[0]}")
    lines += ["", "Rows: " + ", ".join(f"{n} {word}" for word, n in tally.items()) + "."]
    for section in sections:
        lines += ["", section.markdown()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per page.")
    parser.add_argument("--seconds", type=int, default=10, help="Seconds of load per figure.")
    parser.add_argument("--repeat", type=int, default=3, help="Repeats of imports and exports.")
    parser.add_argument("--skip-server", action="store_true", help="No gunicorn, no browser.")
    parser.add_argument("--regenerate", action="store_true", help="Make the data set anew.")
    parser.add_argument("--generate-only", action="store_true", help="Only make the data set.")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    load += " (1, 5, 15 min; other work on the machine slows every figure)"
    began = time.perf_counter()
    url = choose_database()
    log(f"database {url}")
    configure_django(url)
    from django.core.management import call_command
    from django.db import connection

    params = Params()
    reused, seconds = generate.ensure_dataset(
        params=params, url=url, progress=log, force=args.regenerate
    )
    log("data set " + ("reused" if reused else f"generated in {seconds:.1f} s"))
    if args.generate_only:
        return 0
    connection.close()
    log("collectstatic (as make serve does)")
    call_command("collectstatic", interactive=False, verbosity=0)

    sections = [dataset_section(params, reused, seconds, url)]
    pages = Section(
        "Server time of pages (in-process)",
        [
            "Page", "URL", "First request (cache cleared)", "Median", "p95", "Requests",
            "Queries", f"≤ {GOAL_MAX_QUERIES} queries",
        ],
    )
    pages.notes.append(
        "Django's test client in the bench's process under the production settings (DEBUG off, "
        "cached templates, manifest static files, the Redis cache), anonymous. The first "
        "request follows `cache.clear()` (as after a change of data, which bumps the cache's "
        "version); median and p95 are of the requests after it (served from the page cache "
        "where a view has one); \"Queries\" is the most any of those made "
        "(`CaptureQueriesContext`); the goal is judged on the larger of the two counts. The "
        "tracker report and the API are extra rows."
    )
    from django.test import Client

    urls = bench_pages(pages, requests=args.requests, budget=20.0)
    sections.append(pages)

    work = Section("Work", ["What", "Figure", "Goal", ""])
    bench_analysis(work, repeat=max(10, args.repeat))
    bench_import(work, repeat=args.repeat)
    bench_exports(work, repeat=args.repeat, client=Client())
    bench_check_data(work)
    sections.append(work)
    connection.close()

    if not args.skip_server:
        server = Section(
            "Requests per second under the production server",
            ["Cache", "/healthz", "Dashboard `/`", "Dashboard ÷ healthz", "Goal", ""],
        )
        cost = dashboard_cost()
        connection.close()
        server.notes += bench_server(server, url=url, seconds=args.seconds, cost=cost)
        sections.append(server)
        wire = Section(
            "Bytes of a first load",
            ["Page", "URL", "As sent", "Gzip", "Decoded", "Goal", ""],
        )
        indicator_url = urls.get("Indicator page")
        load_pages = [("Dashboard", "/")]
        if indicator_url:
            load_pages.append(("Indicator page", indicator_url))
        bench_bytes(wire, url=url, pages=load_pages)
        wire.notes.append(
            "Headless Chromium (/usr/bin/chromium, a fresh profile per page) against gunicorn "
            "with the production settings; every response of the load (HTML, CSS, JS, images, "
            "fonts) until the network is idle. \"As sent\" is the encoded body on the wire "
            "(whitenoise sends Brotli to Chromium for static files); \"Gzip\" is each body "
            "gzipped at level 9 as whitenoise compresses static files (the HTML as a proxy or "
            "middleware would); \"Decoded\" is the bodies as the browser uses them."
        )
        sections.append(wire)

    total = time.perf_counter() - began
    text = render(machine(url, load=load), sections, total)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    log(f"done in {total:.0f} s; written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
