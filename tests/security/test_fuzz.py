"""A small fuzz in the normal suite: every GET route with random query strings, every form with
random bodies, both importers with random bytes and workbooks — no server error. The long run
is `python -m fuzz.run --examples 10000`."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from fuzz.runner import Fuzzer

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


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_the_hostile_shapes_are_among_the_strategies_and_none_is_a_server_error(world):  # noqa: F811
    """Each shape issue 11 found (unicode digits, huge numbers, long CSV cells, bomb
    workbooks) is drawn by the strategies, and each, given explicitly to every GET route and
    both importers, answers without a server error."""
    from hypothesis import find

    from fuzz.strategies import (
        CSV_FIELD_LIMIT,
        INTERESTING,
        hostile_workbooks,
        long_field_csvs,
        unicode_digits,
    )

    assert {"²", "٢٠٢١", "9" * 10_000} <= set(INTERESTING)
    digits = find(unicode_digits, lambda text: not text.isascii() and text.isdigit())
    assert not digits.isascii()
    fuzzer = Fuzzer(world)
    targets = {target.name: target for target in fuzzer.targets}
    for target in targets.values():
        if target.name.startswith("GET "):
            for value in ("²", "9" * 10_000, "٢٠٢١"):
                query = urlencode({"year": value, "per_page": value, "page": value})
                target.check(("anonymous", query))
    uploads = hostile_workbooks()
    assert len(uploads) == 5
    long_csv = find(long_field_csvs(), lambda content: len(content) > CSV_FIELD_LIMIT)
    for content in [*uploads, long_csv]:
        targets["service indicators.importers"].check(content)
        for name in ("tracker.xlsx", "tracker.csv"):
            targets["service recommendations.importers"].check((name, content))
