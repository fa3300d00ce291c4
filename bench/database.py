"""The bench's database and the data set stored in it.

`choose_database` picks PostgreSQL's `scrutiny_benchdata` when PostgreSQL answers on
127.0.0.1:5432, else the SQLite file bench/data/bench.sqlite3 (BENCH_DATABASE_URL overrides
the choice). `ensure_dataset(params=…, url=…)` reuses the database at `url` when it holds a
data set made with the same parameters, the same generator (`bench.dataset`) and the same
migrations; otherwise it recreates the database, migrates it and generates.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.dataset import Params, fingerprint, generate
from bench.environment import DATA_DIR

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/scrutiny_benchdata"
SQLITE_PATH = DATA_DIR / "bench.sqlite3"
META_TABLE = "bench_meta"


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


# --- The database -----------------------------------------------------------------------------


def migration_leaves() -> list[str]:
    """The latest migration of every app, as the files on disk say."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [f"{app}.{name}" for app, name in loader.graph.leaf_nodes()]


def stored_fingerprint() -> str | None:
    """The fingerprint of the data set in the default database, or None when it has none (or
    the database does not exist yet)."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {META_TABLE} WHERE name = 'fingerprint'")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    finally:
        connection.close()
    return row[0] if row else None


def _store_fingerprint(value: str, counts: dict[str, int]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (name VARCHAR(50) PRIMARY KEY, value TEXT)"
        )
        cursor.execute(f"DELETE FROM {META_TABLE}")
        cursor.execute(
            f"INSERT INTO {META_TABLE} (name, value) VALUES (%s, %s), (%s, %s), (%s, %s)",
            [
                "fingerprint", value,
                "counts", json.dumps(counts),
                "generated_at", datetime.now(UTC).isoformat(timespec="seconds"),
            ],
        )


def stored_counts() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {META_TABLE}")
        rows = dict(cursor.fetchall())
    return {
        "counts": json.loads(rows.get("counts", "{}")),
        "generated_at": rows.get("generated_at"),
    }


def _recreate_database(url: str) -> None:
    """An empty database at `url`: PostgreSQL's is dropped and created again (via the
    `postgres` maintenance database); a SQLite file is deleted."""
    from django.db import connections

    connections.close_all()
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    ) as conn:
        name = sql.Identifier(config["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def ensure_dataset(
    *,
    params: Params,
    url: str,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> tuple[bool, float]:
    """Make sure the database at `url` (the default database of the running Django) holds the
    data set of `params`, making it anew when `force`. Returns (reused, seconds spent
    generating)."""
    import time as clock

    from django.core.management import call_command

    say = progress or (lambda _: None)
    wanted = fingerprint(params, migrations=migration_leaves())
    if not force and stored_fingerprint() == wanted:
        return True, 0.0
    began = clock.perf_counter()
    say("recreating the database")
    _recreate_database(url)
    say("migrating")
    call_command("migrate", interactive=False, verbosity=0)
    counts = generate(params=params, progress=lambda step: say(f"generating {step}"))
    _store_fingerprint(wanted, counts)
    return False, clock.perf_counter() - began
