"""The measurements taken in the bench's own process: the server time and query count of the
main pages (Django's test client under the production settings), the analysis of every
indicator, the import of a 250 × 12 workbook, the tracker's exports, `check_data`, and the
data set's rows.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from dataclasses import dataclass, field

from bench.database import stored_counts
from bench.dataset import Params, import_workbook
from bench.environment import DATA_DIR
from bench.report import NOT_AVAILABLE, Section, log, unavailable, verdict
from bench.timing import ms, p95, seconds_text, timed
from indicators.rules import benchmark, vocabulary
from indicators.rules import statistics as statistics_rules
from indicators.rules.calendar import financial_year
from indicators.rules.statistics import IndicatorInput

# Goals (brief of issue 7).
GOAL_MAX_QUERIES = 10
GOAL_IMPORT_S = 1.0
GOAL_EXPORT_S = 2.0
GOAL_ANALYSIS_MS = 50.0


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
    for indicator in Indicator.objects.filter(is_active=True).select_related("panel__monitoring"):
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
    path.write_bytes(import_workbook(tables=tables, year=year))
    label = f"{count} indicators × 12 months ({year}/{(year + 1) % 100:02d}, 2022 layout)"
    try:
        from core.command_line import COMMAND_LINE
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
                    user=COMMAND_LINE, panel=panel, source=path
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


def dataset_section(params: Params, reused: bool, seconds: float, url: str) -> Section:
    section = Section("Data set", ["What", "Rows"])
    stored = stored_counts()
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
