"""Where the bench runs: its folders, the environment `make serve` gives the production
settings (with the bench's database), Django configured in the bench's own process, and the
machine described at the head of bench/results.md.
"""

from __future__ import annotations

import os
import platform
import shutil
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"


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
