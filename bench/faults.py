"""`python -m bench.faults` (`make faults`): the reliability checks of issue 7 that need a real
PostgreSQL to go away, against the production server as `make serve` runs it.

1. **PostgreSQL stopped during a load run.** gunicorn (two workers, production settings, the
   seed demo in PostgreSQL `scrutiny_faults`) serves four clients requesting /healthz and five
   pages in a loop. PostgreSQL is stopped (`pg_ctlcluster … stop -m fast`) for a while, then
   started again. While it is down /healthz must answer 503 and every page either its cached
   copy (200) or the "service unavailable" page (503); never a 500, a traceback or a dropped
   connection. Once it accepts connections again every request must succeed, with the same
   gunicorn processes (the app recovers by itself, without a restart).
2. **An import killed midway.** `manage.py import_dataset` of a 250 × 12 workbook is killed
   (SIGKILL) once its transaction has written rows; the tables must be exactly as before.

Writes bench/faults.md and prints it; exits 1 when any check fails, so CI can run it. Only ever
stops the PostgreSQL cluster of this machine and always starts it again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.dataset import import_workbook
from bench.environment import DATA_DIR, ROOT, server_env
from bench.report import Section, log
from bench.server import Server

RESULTS = Path(__file__).resolve().parent / "faults.md"
DATABASE = "scrutiny_faults"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/14"
CLIENTS = 4
SECONDS_BEFORE, SECONDS_DOWN, SECONDS_AFTER = 5, 8, 8
UNAVAILABLE_PAGE = "Sorry, the service is unavailable"
# Tables an import writes to; all must be unchanged after it is killed.
IMPORT_TABLES = [
    "indicators_indicator",
    "indicators_historicalindicator",
    "indicators_priorityarea",
    "indicators_value",
    "indicators_historicalvalue",
    "indicators_target",
    "indicators_benchmarkvalue",
    "indicators_comparator",
]


# --- PostgreSQL -------------------------------------------------------------------------------


def _cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return [version, "main"]


def postgres(action: str) -> None:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *_cluster(), action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def postgres_ready() -> bool:
    ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], timeout=10)
    return ready.returncode == 0


def psql(sql: str, database: str = DATABASE) -> str:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.strip()


def manage(*args: str, env: dict[str, str] | None = None, quiet: bool = False) -> None:
    """A management command on the fault database, under the development settings unless
    `env` says otherwise (load_demo refuses the production ones)."""
    env = env or {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scrutiny.settings.dev",
        "DATABASE_URL": DATABASE_URL,
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=quiet, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed: {(done.stderr or '')[-2000:]}")


def prepare() -> tuple[dict[str, str], str]:
    """A fresh database with the seed demo; the pages the clients will request."""
    log(f"preparing {DATABASE} with the seed demo")
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", database="postgres")
    psql(f"CREATE DATABASE {DATABASE}", database="postgres")
    manage("migrate", "--noinput", "-v0")
    manage("load_demo", "-v0")
    panel = psql("SELECT slug FROM meetings_panel ORDER BY id LIMIT 1")
    indicator = psql("SELECT id FROM indicators_indicator ORDER BY id LIMIT 1")
    meeting = psql("SELECT id FROM meetings_meeting ORDER BY start DESC LIMIT 1")
    return {
        "health": "/healthz",
        "dashboard": "/",
        "monitoring": f"/panels/{panel}/performance/",
        "indicator": f"/indicators/{indicator}/",
        "meeting": f"/meetings/{meeting}/",
        "tracker": "/recommendations/",
    }, panel


# --- Load ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    phase: str
    page: str
    result: str  # "200", "503 unavailable page", "500", "connection error: …"


@dataclass
class Load:
    base: str
    pages: dict[str, str]
    phase: str = "before"
    outcomes: list[Outcome] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _one(self, page: str) -> str:
        try:
            with urllib.request.urlopen(self.base + self.pages[page], timeout=15) as response:
                response.read()
                return str(response.status)
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            if error.code == 503 and error.headers.get("Retry-After"):
                if page == "health" and '"unavailable"' in body:
                    return "503 unavailable"
                if UNAVAILABLE_PAGE in body and "Traceback" not in body:
                    return "503 unavailable page"
            return f"{error.code} other"
        except (urllib.error.URLError, OSError) as error:
            return f"connection error: {error}"

    def client(self, offset: int) -> None:
        names = list(self.pages)
        turn = offset
        while not self.stop.is_set():
            page = names[turn % len(names)]
            turn += 1
            began = self.phase
            result = self._one(page)
            with self.lock:
                self.outcomes.append(Outcome(phase_of(began, self.phase), page, result))

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.client, args=(k,)) for k in range(CLIENTS)]
        for thread in threads:
            thread.start()
        return threads


TRANSITIONS = ("stopping", "starting")


def phase_of(began: str, ended: str) -> str:
    """The phase a request is judged in: the one it began and ended in, or, when the phase
    changed while it was answered (a page begun just before PostgreSQL was stopped), the
    transition it straddled, which is reported but not judged."""
    if began == ended:
        return began
    for phase in (ended, began):
        if phase in TRANSITIONS:
            return phase
    return f"{began} to {ended}"


def worker_pids(server: Server) -> set[int]:
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(server.process.pid)], capture_output=True, text=True
    )
    return {int(pid) for pid in children.stdout.split()}


def outage(pages: dict[str, str]) -> tuple[Section, list[str]]:
    server = Server(url=DATABASE_URL, settings_module="scrutiny.settings.prod")
    server.env["REDIS_URL"] = REDIS_URL
    failures: list[str] = []
    with server:
        pids = worker_pids(server)
        load = Load(base=server.base, pages=pages)
        threads = load.run()
        time.sleep(SECONDS_BEFORE)
        log("stopping PostgreSQL")
        load.phase = "stopping"
        postgres("stop")
        load.phase = "down"
        time.sleep(SECONDS_DOWN)
        log("starting PostgreSQL")
        load.phase = "starting"
        started = time.monotonic()
        postgres("start")
        while not postgres_ready():
            time.sleep(0.1)
        restart_seconds = time.monotonic() - started
        load.phase = "after"
        time.sleep(SECONDS_AFTER)
        load.stop.set()
        for thread in threads:
            thread.join()
        same_processes = worker_pids(server) == pids and server.process.poll() is None

    section = Section(
        "PostgreSQL stopped during a load run",
        ["Phase", "Requests", "Results", "Expected", ""],
    )
    expected = {
        "before": "all 200",
        "down": "/healthz 503; pages 200 (cached) or the 503 page; no other answer",
        "after": "all 200",
    }
    named = ("before", "stopping", "down", "starting", "after")
    straddled = sorted({o.phase for o in load.outcomes} - set(named))
    for phase in (*named, *straddled):
        got = [o for o in load.outcomes if o.phase == phase]
        counts = Counter(o.result for o in got)
        text = ", ".join(f"{result}: {n}" for result, n in sorted(counts.items()))
        if phase in ("before", "after"):
            ok = bool(got) and set(counts) == {"200"}
        elif phase == "down":
            health = {o.result for o in got if o.page == "health"}
            pages_ok = {o.result for o in got if o.page != "health"} <= {
                "200",
                "503 unavailable page",
            }
            ok = bool(got) and health == {"503 unavailable"} and pages_ok
        else:
            ok = None  # in transition: reported, not judged
        if ok is False:
            failures.append(f"{phase}: {text}")
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        section.add(phase, len(got), text or "—", expected.get(phase, "(in transition)"), verdict)
    down = [o for o in load.outcomes if o.phase == "down"]
    served = Counter(o.page for o in down if o.result == "200")
    first_ok = next(
        (i for i, o in enumerate(load.outcomes) if o.phase == "after" and o.result == "200"), None
    )
    section.notes.append(
        f"Four clients, {SECONDS_BEFORE} s before, {SECONDS_DOWN} s down, {SECONDS_AFTER} s after "
        f"PostgreSQL accepts connections again (it took "
        f"{restart_seconds:.1f} s to start). Pages answered from "
        f"the cache while it was down: {dict(served) or 'none'}. The same gunicorn master and "
        f"workers before and after: {'yes' if same_processes else 'NO'}"
        f" (first request after the restart: {'succeeded' if first_ok is not None else 'none'})."
    )
    if not same_processes:
        failures.append("gunicorn's processes changed: the app did not recover by itself")
    section.add(
        "recovery", "", "same gunicorn processes" if same_processes else "processes changed",
        "no restart of the app", "PASS" if same_processes else "FAIL",
    )
    return section, failures


# --- An import killed midway --------------------------------------------------------------------


def table_counts() -> dict[str, int]:
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in IMPORT_TABLES)
    rows = psql(sql).splitlines()
    return {name: int(count) for name, count in (row.split("|") for row in rows)}


def killed_import(panel: str) -> tuple[Section, list[str]]:
    count, areas = 250, 5
    kinds = ("percentage", "number", "percentage", "rate", "number")
    tables = [
        (
            f"Fault test area {a + 1}",
            [(f"Fault test indicator {a + 1}.{k + 1}", kinds[k % 5]) for k in range(count // 5)],
        )
        for a in range(areas)
    ]
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "faults-import.xlsx"
    path.write_bytes(import_workbook(tables=tables, year=2022))
    before = table_counts()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "scrutiny.settings.dev"}
    env["DATABASE_URL"] = DATABASE_URL
    log("import, to be killed once it has written rows")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_dataset", str(path), "--panel", panel],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    written_sql = (
        f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{DATABASE}' "
        "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
    )
    killed_while_writing = False
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if psql(written_sql) != "0":
            process.send_signal(signal.SIGKILL)
            killed_while_writing = True
            break
        time.sleep(0.02)
    process.wait(timeout=30)
    # PostgreSQL rolls the transaction back when it notices the client has gone.
    deadline = time.monotonic() + 30
    while psql(written_sql) != "0" and time.monotonic() < deadline:
        time.sleep(0.1)
    after_kill = table_counts()
    manage("import_dataset", str(path), "--panel", panel, quiet=True)
    after_full = table_counts()

    section = Section("An import killed midway", ["Table", "Before", "After the kill", "Complete"])
    for table in IMPORT_TABLES:
        section.add(table, before[table], after_kill[table], after_full[table])
    failures = []
    if not killed_while_writing:
        failures.append("the import ended before it could be killed while writing")
    if after_kill != before:
        failures.append(f"the killed import left rows behind: {after_kill} != {before}")
    if after_full["indicators_value"] <= before["indicators_value"]:
        failures.append("the complete import wrote no values, so the kill proved nothing")
    section.notes.append(
        f"`import_dataset` of {count} indicators × 12 months, killed with SIGKILL once its "
        f"transaction held written rows (seen in pg_stat_activity): "
        f"{'yes' if killed_while_writing else 'NO'}. Unchanged after the kill: "
        f"{'yes' if after_kill == before else 'NO'}. The last column is the same import run to "
        "the end, to show what the killed one would have written."
    )
    return section, failures


def main() -> int:
    started = time.monotonic()
    if not postgres_ready():
        postgres("start")
    pages, panel = prepare()
    manage("collectstatic", "--noinput", "-v0", env={**server_env(DATABASE_URL)})
    failures: list[str] = []
    try:
        outage_section, found = outage(pages)
        failures += found
    finally:
        if not postgres_ready():
            postgres("start")
    import_section, found = killed_import(panel)
    failures += found
    when = datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC")
    text = "\n\n".join(
        [
            "# Fault tests",
            f"Written by `make faults` (`python -m bench.faults`) on {when}, in "
            f"{time.monotonic() - started:.0f} s. "
            + ("Every check passed." if not failures else "FAILED: " + "; ".join(failures)),
            outage_section.markdown(),
            import_section.markdown(),
        ]
    )
    RESULTS.write_text(text + "\n")
    print(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
