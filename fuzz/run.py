"""Fuzz every page, form and importer with Hypothesis; the assertion is zero server errors.

    python -m fuzz.run --examples 10000            # SQLite in memory (the test settings)
    DATABASE_URL=postgres://… python -m fuzz.run   # a throw-away test database on PostgreSQL

Targets:
- every GET route, with random query strings (known parameters such as ?year=, ?format=, ?q=,
  ?columns=, ?page=, the page's own filter names, and random ones), signed in as a random role;
- every form, POSTed by the role allowed to post it, starting from the form's own fields and
  values (read from its page) with some fields replaced by random values, dropped or added;
- both importers' services (the dataset workbook and the tracker), given random bytes, random
  CSV text and random workbooks built with openpyxl in shapes close to the real layouts.

A server error is a response with status 500 or more, or any exception escaping a view (the
test client re-raises them) or an importer (other than its own refusal). Each example runs in
a transaction that is rolled back, so one input never changes what the next one sees.

This module is the command line only. `fuzz.world.build_world` (also used by tests/security)
adds to the seed demo what the checks need: a second officer owning area B, provisional values
in areas A and B, an exempt agenda item with an uploaded paper, an open paper and a resolution
not yet on the tracker. The addresses are in `fuzz.pages`, the Hypothesis strategies in
`fuzz.strategies`, and `fuzz.runner.Fuzzer` builds the targets and runs them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict

from fuzz.runner import Finding, Fuzzer, Summary
from fuzz.world import build_world

# --- Command line --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="inputs in total")
    parser.add_argument("--seed", type=int, default=None, help="derandomise (repeatable run)")
    parser.add_argument("--verbose", action="store_true", help="time each target")
    parser.add_argument("--workers", type=int, default=1, help="processes sharing the targets")
    parser.add_argument("--shard", default="0/1", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.workers > 1:
        return _parallel(args)
    index, shards = (int(part) for part in args.shard.split("/"))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings.test")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import tempfile

    import django

    django.setup()
    from django.conf import settings as django_settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment, teardown_test_environment

    django_settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="scrutiny-fuzz-")
    setup_test_environment()
    suffix = os.environ.get("FUZZ_DB_SUFFIX")
    if suffix and connection.vendor != "sqlite":
        name = f"test_fuzz_{connection.settings_dict['NAME']}_{suffix}"
        connection.settings_dict["TEST"] = {**connection.settings_dict["TEST"], "NAME": name}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with transaction.atomic():
            call_command("load_demo", verbosity=0)
            world = build_world()
            began = time.monotonic()
            fuzzer = Fuzzer(world)
            fuzzer.verbose = args.verbose
            if args.verbose:
                print(f"{time.monotonic() - began:7.2f} s  reading the forms", flush=True)
            summary = fuzzer.run(examples=args.examples, seed=args.seed, shard=(index, shards))
            transaction.set_rollback(True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    if args.json:
        print(json.dumps(asdict(summary)))
        return 0
    return _report(summary)


def _report(summary: Summary) -> int:
    for finding in summary.findings:
        print(f"\n=== SERVER ERROR in {finding.target}\ninput: {finding.input}")
        print(finding.traceback)
    print(summary.line())
    return 1 if summary.findings else 0


def _parallel(args) -> int:
    """Run the shards in child processes (each with its own test database) and add them up."""
    started = time.monotonic()
    base = [sys.executable, "-m", "fuzz.run", "--examples", str(args.examples), "--json"]
    if args.seed is not None:
        base += ["--seed", str(args.seed)]
    children = [
        subprocess.Popen(
            [*base, "--shard", f"{i}/{args.workers}"],
            stdout=subprocess.PIPE,
            env={**os.environ, "FUZZ_DB_SUFFIX": str(i)},
        )
        for i in range(args.workers)
    ]
    summary = Summary()
    for number, child in enumerate(children):
        out, _ = child.communicate()
        lines = out.decode().strip().splitlines()
        if child.returncode or not lines:
            print(f"fuzz: shard {number} failed (exit code {child.returncode})", file=sys.stderr)
            return 2
        part = json.loads(lines[-1])
        summary.tried += part["tried"]
        summary.errors += part["errors"]
        summary.findings += [Finding(**f) for f in part["findings"]]
    summary.seconds = time.monotonic() - started
    return _report(summary)


if __name__ == "__main__":
    raise SystemExit(main())
