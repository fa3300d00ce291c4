"""Running the fuzz: the targets (routes, forms, both importers) built over a world, each
example in a rolled-back transaction, and the summary of what was tried and found.
"""

from __future__ import annotations

import math
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fuzz.pages import form_fields, get_routes, post_forms
from fuzz.strategies import (
    bomb_workbooks,
    long_field_csvs,
    query_pairs,
    raw_queries,
    texts,
    workbooks,
)
from fuzz.world import ROLES, World

# --- Running -------------------------------------------------------------------------------------


class ServerError(AssertionError):
    """A status 500 or an exception escaping a view or an importer."""


@dataclass
class Target:
    name: str
    weight: int
    strategy: st.SearchStrategy
    check: Callable[[Any], None]


@dataclass
class Finding:
    target: str
    input: str
    traceback: str


@dataclass
class Summary:
    tried: int = 0
    errors: int = 0  # inputs that gave a server error
    findings: list[Finding] = field(default_factory=list)  # the first one of each target
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"fuzz: {self.tried} inputs tried, {self.errors} server error(s) found "
            f"(in {len(self.findings)} target(s)), {self.seconds:.1f} s"
        )


class Fuzzer:
    """Builds the targets over a world and runs them."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.tried = 0
        self.errors = 0
        self.verbose = False
        self.targets: list[Target] = []
        self._names: dict[str, tuple[dict[str, str], dict[str, list[str]]]] = {}
        self._build()

    # A request in a rolled-back transaction, signed in as `role`.
    def _request(self, role: str, method: str, path: str, **kwargs):
        from django.db import transaction
        from django.test import Client

        client = Client(raise_request_exception=True)
        self.tried += 1
        with transaction.atomic():
            user = self.world.user(role)
            if user is not None:
                client.force_login(user)
            try:
                response = getattr(client, method)(path, **kwargs)
            except Exception as error:
                raise ServerError(f"{method.upper()} {path} as {role}: exception") from error
            finally:
                transaction.set_rollback(True)
        if response.status_code >= 500:
            raise ServerError(f"{method.upper()} {path} as {role}: {response.status_code}")
        return response

    def page_fields(self, path: str, role: str):
        """The form fields of a page (read once, as a role that may open it)."""
        key = f"{role} {path}"
        if key not in self._names:
            response = self._request(role, "get", path)
            readable = response.status_code == 200 and not response.streaming
            html = response.content.decode(errors="replace") if readable else ""
            self._names[key] = form_fields(html)
        return self._names[key]

    def _build(self) -> None:
        w = self.world
        for path, role, weight in get_routes(w):
            names = list(self.page_fields(path, role)[0]) if weight else []
            self.targets.append(self._get_target(path, role, names, max(weight, 0)))
        for path, role, page, upload, weight in post_forms(w):
            fields, choices = self.page_fields(page, role)
            self.targets.append(self._post_target(path, role, fields, choices, upload, weight))
        self.targets += self._importer_targets()

    def _get_target(self, path: str, allowed: str, names: list[str], weight: int) -> Target:
        roles = st.sampled_from([allowed, allowed, *ROLES])
        queries = st.one_of(query_pairs(names).map(lambda pairs: urlencode(pairs)), raw_queries)

        def check(drawn):
            role, query = drawn
            self._request(role, "get", path, QUERY_STRING=query)

        return Target(f"GET {path}", weight, st.tuples(roles, queries), check)

    def _post_target(self, path, role, fields, choices, upload, weight) -> Target:
        keys = sorted(set(fields) | set(choices))
        if not keys:
            keys = ["field"]

        @st.composite
        def bodies(draw):
            body = dict(fields)
            for name, options in choices.items():
                if options and draw(st.booleans()):
                    body[name] = draw(st.sampled_from(options))
            for name in draw(st.lists(st.sampled_from(keys), max_size=6)):
                body[name] = draw(texts)
            for name in draw(st.lists(st.sampled_from(keys), max_size=2)):
                body.pop(name, None)
            for name, value in draw(st.lists(st.tuples(st.text(max_size=12), texts), max_size=2)):
                body[name] = value
            if upload:
                body["file"] = draw(self._upload(upload))
            return body

        def check(body):
            if "file" in body:
                from django.core.files.uploadedfile import SimpleUploadedFile

                name, content = body["file"]
                body = {**body, "file": SimpleUploadedFile(name, content)}
            self._request(role, "post", path, data=body)

        return Target(f"POST {path}", weight, bodies(), check)

    def _upload(self, kind: str):
        data = self._contents(kind)
        names = st.sampled_from(["data.xlsx", "tracker.csv", "x.exe", "noext", "a.XLSX", "..xlsx"])
        return st.tuples(names, data)

    def _contents(self, kind: str):
        from indicators.models import Indicator

        names = list(Indicator.objects.values_list("name", flat=True)[:10]) or ["Indicator"]
        headers = [
            ["Indicator", "Outturn type", "Apr-21", "May-21", "Jun-21", "Target", "England"],
            ["Date", "Title", "Action proposed", "Action taken", "Progress status"],
        ]
        csv_text = st.lists(st.lists(st.text(max_size=15), max_size=6), max_size=8).map(
            lambda rows: "\n".join(",".join(row) for row in rows).encode("utf-8", "replace")
        )
        return st.one_of(
            st.binary(max_size=2000),
            st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
            csv_text,
            workbooks(names=names, headers=headers),
            long_field_csvs(),
            bomb_workbooks(),
        )

    def _importer_targets(self) -> list[Target]:
        from django.utils import timezone

        from indicators.services import import_plan as dataset
        from indicators.workbook import reading
        from recommendations import importers as tracker

        panel = self.world.panel

        def dataset_check(content: bytes):
            from django.db import transaction

            self.tried += 1
            with transaction.atomic():
                try:
                    workbook = reading.read_workbook(content)
                    dataset.plan_import(
                        panel=panel, workbook=workbook, can_revise=True, revision_reason="fuzz"
                    )
                except reading.ImportRefused:
                    pass
                except Exception as error:
                    raise ServerError("indicators.importers: exception") from error
                finally:
                    transaction.set_rollback(True)

        def tracker_check(drawn):
            from django.db import transaction

            name, content = drawn
            self.tried += 1
            with transaction.atomic():
                try:
                    rows = tracker.read_rows(content=content, name=name)
                    tracker.plan_import(panel=panel, rows=rows, today=timezone.localdate())
                except tracker.TrackerImportError:
                    pass
                except Exception as error:
                    raise ServerError("recommendations.importers: exception") from error
                finally:
                    transaction.set_rollback(True)

        names = st.sampled_from(["tracker.xlsx", "tracker.csv", "tracker.CSV", "t.xls", "t"])
        return [
            Target("service indicators.importers", 8, self._contents("dataset"), dataset_check),
            Target(
                "service recommendations.importers",
                8,
                st.tuples(names, self._contents("tracker")),
                tracker_check,
            ),
        ]

    def run(
        self, *, examples: int, seed: int | None = None, shard: tuple[int, int] = (0, 1)
    ) -> Summary:
        """Share `examples` inputs among the targets by weight (each target at least one) and
        run them (of shard (i, n), only every n-th target from the i-th); every server error is
        recorded with its (shrunk) input and traceback."""
        summary = Summary()
        started = time.monotonic()
        self.tried = 0
        self.errors = 0
        total_weight = sum(t.weight for t in self.targets) or 1
        index, shards = shard
        for target in self.targets[index::shards]:
            count = max(1, math.ceil(examples * target.weight / total_weight))
            began = time.monotonic()
            finding = self._run_target(target, count, seed)
            if self.verbose:
                print(f"{time.monotonic() - began:7.2f} s  {count:5d}  {target.name}", flush=True)
            if finding:
                summary.findings.append(finding)
        summary.tried = self.tried
        summary.errors = self.errors
        summary.seconds = time.monotonic() - started
        return summary

    def _run_target(self, target: Target, count: int, seed: int | None) -> Finding | None:
        """Run `count` inputs of a target; a failing input is recorded (the first one with its
        traceback, the others counted) and the run goes on, so every target gets its share."""
        first: list[Finding] = []

        @settings(
            max_examples=count,
            deadline=None,
            database=None,
            derandomize=seed is not None,
            suppress_health_check=list(HealthCheck),
            # No shrinking: failing inputs are reported as drawn (faster runs).
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
        )
        @given(target.strategy)
        def fuzz(drawn):
            try:
                target.check(drawn)
            except ServerError as error:
                self.errors += 1
                if not first:
                    cause = error.__cause__ or error
                    text = "".join(traceback.format_exception(cause))
                    first.append(Finding(target.name, repr(drawn)[:2000], text))

        fuzz()
        return first[0] if first else None
