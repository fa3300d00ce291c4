"""The measurements taken against the production server (`bench.server`): requests per
second of the dashboard and /healthz with the cache and without it, what an uncached
dashboard request spends its time on, and the bytes of a first load in headless Chromium.
"""

from __future__ import annotations

import gzip
import os
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench.report import NOT_AVAILABLE, Section, log, unavailable, verdict
from bench.server import Server, python_load, wrk_load

# Goals (brief of issue 7).
GOAL_RPS_SHARE_CACHED = 0.20
GOAL_RPS_SHARE_UNCACHED = 0.05
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
