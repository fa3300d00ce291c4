"""`python -m bench.run` (`make bench`): measure the app on a large data set, in one run.

1. The data set (`bench.dataset`, default 5 panels, 250 indicators × 120 months, 500 meetings,
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

This module is the command line only: the measurements are `bench.measure` (in-process) and
`bench.measure_server` (under gunicorn), the data set `bench.dataset` in `bench.database`, the
server `bench.server`, the tables `bench.report`.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from bench.database import choose_database, ensure_dataset
from bench.dataset import Params
from bench.environment import configure_django, machine
from bench.measure import (
    GOAL_MAX_QUERIES,
    bench_analysis,
    bench_check_data,
    bench_exports,
    bench_import,
    bench_pages,
    dataset_section,
)
from bench.measure_server import bench_bytes, bench_server, dashboard_cost
from bench.report import Section, log, render

RESULTS = Path(__file__).resolve().parent / "results.md"


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
    reused, seconds = ensure_dataset(
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
