"""A small fuzz in the normal suite: every GET route with random query strings, every form with
random bodies, both importers with random bytes and workbooks — no server error. The long run
is `python -m fuzz.run --examples 10000`."""

from __future__ import annotations

import pytest

from fuzz.run import Fuzzer

pytestmark = pytest.mark.django_db

EXAMPLES = 300


def test_no_server_error_on_random_input(world):
    fuzzer = Fuzzer(world)
    kinds = {target.name.split()[0] for target in fuzzer.targets}
    assert kinds == {"GET", "POST", "service"}
    assert len(fuzzer.targets) > 80
    summary = fuzzer.run(examples=EXAMPLES, seed=0)
    assert summary.tried >= EXAMPLES
    report = "\n\n".join(f"{f.target}\ninput: {f.input}\n{f.traceback}" for f in summary.findings)
    assert summary.findings == [], report
