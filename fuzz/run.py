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

`build_world` (also used by tests/security) adds to the seed demo what the checks need: a
second officer owning area B, provisional values in areas A and B, an exempt agenda item with an
uploaded paper, an open paper and a resolution not yet on the tracker.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from indicators.rules.calendar import add_months

ROLES = ("anonymous", "member", "officer_a", "officer_b", "performance", "manager", "admin")
PROVISIONAL_A = Decimal("4321")
PROVISIONAL_B = Decimal("8765")
EXEMPT_PAPER_TEXT = b"zebracontent exempt appendix"
OPEN_PAPER_TEXT = b"open appendix for everyone"


# --- The world the checks run in ----------------------------------------------------------------


@dataclass
class World:
    """The seed demo's objects the security checks and the fuzzer address, by role."""

    panel: Any
    area_a: Any
    area_b: Any
    indicator_a: Any
    indicator_b: Any
    published_a: Any
    value_a: Any  # provisional, area A
    value_b: Any  # provisional, area B
    month: date  # the provisional values' month
    meeting: Any  # the meeting whose agenda the demo holds
    minutes_meeting: Any  # the meeting whose minutes the demo holds
    report_date: date
    recommendation: Any  # on the open list
    resolution: Any  # not yet on the tracker
    exempt_item: Any
    exempt_paper: Any
    open_paper: Any
    person: Any
    status: Any
    question_a: Any  # asked by the panel member about indicator A (officer A's)
    question_b: Any  # asked about indicator B (officer B's)
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str):
        return None if role == "anonymous" else self.users[role]


def build_world() -> World:
    """Add the security checks' objects to a loaded seed demo (call inside a transaction)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.db.models import Max

    from core import roles
    from indicators.models import Indicator, PriorityArea, Value
    from meetings.models import AgendaDocument, AgendaItem, Meeting, Minute, Panel, Person
    from recommendations.models import Question, Recommendation, Status

    users = {u.username: u for u in get_user_model().objects.all()}
    panel = Panel.objects.get()
    area_a = PriorityArea.objects.get(panel=panel, order=1)
    area_b = PriorityArea.objects.get(panel=panel, order=3)
    indicator_a = Indicator.objects.filter(priority_area=area_a).order_by("order").first()
    indicator_b = Indicator.objects.filter(priority_area=area_b).order_by("order").first()

    officer_b = get_user_model().objects.create_user(
        username="officer_b", password="not-used-force-login", is_staff=True
    )
    officer_b.groups.add(Group.objects.get(name=roles.OFFICER))
    person_b = Person.objects.create(
        kind=Person.Kind.OFFICER, name="Officer of area B", user=officer_b
    )
    indicator_b.owner = person_b
    indicator_b.save(update_fields=["owner"])

    latest = Value.objects.filter(indicator__panel=panel).aggregate(m=Max("month"))["m"]
    month = add_months(month=latest, count=1)
    value_a = Value.objects.create(indicator=indicator_a, month=month, number=PROVISIONAL_A)
    value_b = Value.objects.create(indicator=indicator_b, month=month, number=PROVISIONAL_B)
    published_a = (
        Value.objects.filter(indicator=indicator_a, state=Value.State.PUBLISHED)
        .exclude(number=None)
        .order_by("-month")
        .first()
    )

    meeting = Meeting.objects.filter(items__isnull=False).distinct().order_by("-start").first()
    exempt_item = AgendaItem.objects.create(
        meeting=meeting,
        number=meeting.items.aggregate(n=Max("number"))["n"] + 1,
        title="Proposed contract (exempt)",
        summary="Zebrasummary of the tender.",
        exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercially sensitive.",
    )
    exempt_paper = AgendaDocument(item=exempt_item, title="Tender scores")
    exempt_paper.file.save("tender-scores.txt", ContentFile(EXEMPT_PAPER_TEXT), save=True)
    open_item = meeting.items.filter(exempt=False).order_by("number").first()
    open_paper = AgendaDocument(item=open_item, title="Open appendix")
    open_paper.file.save("open-appendix.txt", ContentFile(OPEN_PAPER_TEXT), save=True)

    report_meeting = Recommendation.objects.order_by("-meeting_date").first()
    report_date = (
        Meeting.objects.filter(start__date__gt=report_meeting.meeting_date)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    from django.utils import timezone

    report_date = timezone.localtime(report_date).date() if report_date else date(2022, 3, 31)
    minute = Minute.objects.order_by("number").first()
    from meetings.models import Resolution

    resolution = Resolution.objects.filter(recommendation__isnull=True).first()
    if resolution is None:
        resolution = Resolution.objects.create(
            minute=minute, number=99, text="That the service reports back on placements."
        )
    questions = [
        Question.objects.create(
            indicator=indicator,
            month=published_a.month,
            text="Why did the figure change this month?",
            asked_by=users["member"],
        )
        for indicator in (indicator_a, indicator_b)
    ]
    return World(
        question_a=questions[0],
        question_b=questions[1],
        panel=panel,
        area_a=area_a,
        area_b=area_b,
        indicator_a=indicator_a,
        indicator_b=indicator_b,
        published_a=published_a,
        value_a=value_a,
        value_b=value_b,
        month=month,
        meeting=meeting,
        minutes_meeting=Meeting.objects.filter(pk=minute.meeting_id).first() or meeting,
        report_date=report_date,
        recommendation=Recommendation.objects.on_list().order_by("pk").first(),
        resolution=resolution,
        exempt_item=exempt_item,
        exempt_paper=exempt_paper,
        open_paper=open_paper,
        person=Person.objects.filter(memberships__isnull=False).order_by("pk").first(),
        status=Status.objects.order_by("order").first(),
        users={
            "member": users["member"],
            "officer_a": users["officer"],
            "officer_b": officer_b,
            "performance": users["performance"],
            "manager": users["manager"],
            "admin": users["admin"],
        },
    )


# --- Addresses ---------------------------------------------------------------------------------


def get_routes(w: World) -> list[tuple[str, str, int]]:
    """Every GET route as (address, role allowed to read it, weight), weight ~ share of inputs."""
    from django.contrib import admin

    month = f"{w.month:%Y-%m}"
    slug = w.panel.slug
    routes = [
        ("/", "anonymous", 3),
        (f"/panels/{slug}/", "anonymous", 3),
        (f"/panels/{slug}/performance/", "anonymous", 4),
        (f"/indicators/panels/{slug}/performance/", "anonymous", 2),
        ("/indicators/", "anonymous", 3),
        (f"/indicators/{w.indicator_a.pk}/", "anonymous", 2),
        ("/api/indicators/", "anonymous", 3),
        (f"/api/indicators/{w.indicator_a.pk}/", "anonymous", 2),
        ("/healthz", "anonymous", 1),
        ("/accounts/login/", "anonymous", 1),
        ("/meetings/", "anonymous", 3),
        ("/meetings/calendar.ics", "anonymous", 1),
        (f"/meetings/{w.meeting.pk}/", "anonymous", 2),
        (f"/meetings/{w.meeting.pk}/agenda.pdf", "anonymous", 0),
        (f"/meetings/{w.minutes_meeting.pk}/minutes.pdf", "anonymous", 0),
        (f"/meetings/papers/{w.open_paper.pk}/", "anonymous", 1),
        (f"/meetings/papers/{w.exempt_paper.pk}/", "member", 1),
        (f"/meetings/panels/{slug}/", "anonymous", 2),
        (f"/meetings/panels/{slug}/work-programme/", "anonymous", 1),
        (f"/meetings/people/{w.person.pk}/", "anonymous", 1),
        (f"/meetings/{slug}/calendar.ics", "anonymous", 1),
        ("/search/", "anonymous", 4),
        ("/recommendations/", "anonymous", 4),
        ("/recommendations/archive/", "anonymous", 2),
        ("/recommendations/awaiting-response/", "anonymous", 2),
        ("/recommendations/new/", "manager", 1),
        (f"/recommendations/report/{w.report_date}/", "anonymous", 3),
        (f"/recommendations/report/{w.report_date}/decisions/", "manager", 2),
        (f"/recommendations/{w.recommendation.pk}/", "anonymous", 2),
        ("/recommendations/questions/", "member", 2),
        (f"/recommendations/questions/ask/{w.indicator_a.pk}/", "member", 1),
        (f"/recommendations/questions/{w.question_a.pk}/answer/", "officer_a", 1),
        ("/admin/", "officer_a", 1),
        ("/admin/indicators/entry/", "officer_a", 2),
        (f"/admin/indicators/entry/{w.area_a.pk}/{month}/", "officer_a", 2),
        (f"/admin/indicators/entry/{w.area_a.pk}/targets/2021/", "officer_a", 1),
        (f"/admin/indicators/entry/month/{slug}/{month}/", "performance", 1),
        (f"/admin/indicators/entry/month/{slug}/{month}/publish/", "performance", 1),
        ("/admin/indicators/entry/import/", "performance", 1),
        (f"/admin/indicators/value/{w.value_a.pk}/change/", "officer_a", 1),
        (f"/admin/indicators/value/{w.published_a.pk}/revise/", "performance", 1),
        ("/admin/recommendations/recommendation/import/", "manager", 1),
    ]
    for model in admin.site._registry:
        opts = model._meta
        routes.append((f"/admin/{opts.app_label}/{opts.model_name}/", "admin", 1))
    return routes


def post_forms(w: World) -> list[tuple[str, str, str | None, str | None, int]]:
    """Every form as (address, role allowed to post, page its fields are read from, file kind
    for uploads or None, weight)."""
    month = f"{w.month:%Y-%m}"
    slug = w.panel.slug
    entry = f"/admin/indicators/entry/{w.area_a.pk}/{month}/"
    targets = f"/admin/indicators/entry/{w.area_a.pk}/targets/2021/"
    status = f"/admin/indicators/entry/month/{slug}/{month}/"
    publish = f"{status}publish/"
    revise = f"/admin/indicators/value/{w.published_a.pk}/revise/"
    value = f"/admin/indicators/value/{w.value_a.pk}/change/"
    decisions = f"/recommendations/report/{w.report_date}/decisions/"
    detail = f"/recommendations/{w.recommendation.pk}/"
    meeting = f"/admin/meetings/meeting/{w.meeting.pk}/change/"
    ask = f"/recommendations/questions/ask/{w.indicator_a.pk}/"
    answer = f"/recommendations/questions/{w.question_a.pk}/answer/"
    return [
        (ask, "member", ask, None, 2),
        (answer, "officer_a", answer, None, 2),
        (entry, "officer_a", entry, None, 4),
        (targets, "officer_a", targets, None, 3),
        (status, "performance", status, None, 1),
        (publish, "performance", publish, None, 1),
        (revise, "performance", revise, None, 2),
        (value, "officer_a", value, None, 2),
        ("/admin/indicators/value/add/", "officer_a", "/admin/indicators/value/add/", None, 1),
        (decisions, "manager", decisions, None, 3),
        (f"{detail}updates/", "officer_a", detail, None, 3),
        (f"/recommendations/new/{w.resolution.pk}/", "manager", "/recommendations/new/", None, 1),
        ("/accounts/login/", "anonymous", "/accounts/login/", None, 2),
        ("/accounts/logout/", "member", "/", None, 1),
        (meeting, "manager", meeting, None, 1),
        (
            "/admin/indicators/entry/import/",
            "performance",
            "/admin/indicators/entry/import/",
            "dataset",
            2,
        ),
        (
            "/admin/recommendations/recommendation/import/",
            "manager",
            "/admin/recommendations/recommendation/import/",
            "tracker",
            2,
        ),
    ]


# --- Strategies ------------------------------------------------------------------------------

QUERY_KEYS = (
    "year",
    "format",
    "q",
    "columns",
    "page",
    "panel",
    "sort",
    "area",
    "rating",
    "signal",
    "status",
    "ref",
    "month",
    "per_page",
    "o",
    "p",
    "e",
    "all",
    "_popup",
    "next",
    "date",
    "priority_area",
    "decision",
    "state",
    "indicator__panel__id__exact",
    "month__year",
    "month__month",
    "lead_officer",
    "overdue",
)
INTERESTING = (
    "",
    "0",
    "-1",
    "1",
    "2",
    "2019",
    "2021",
    "2022",
    "9999",
    "99999999999999999999",
    "xlsx",
    "csv",
    "pdf",
    "json",
    "../../etc/passwd",
    "%00",
    "\x00",
    "null",
    "true",
    "1e309",
    "NaN",
    "2022-13-01",
    "2022-02",
    "0000-00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "ä",
    "🙂",
    " " * 3,
    "children-and-families",
    "red",
    "amber",
    "green",
    "improving",
    "x" * 3000,
    # Digits str.isdigit() accepts and int() refuses, or int() takes but are not ASCII.
    "²",
    "²²²²",
    "٢٠٢١",
    "２０２１",
    "9" * 10_000,  # over int()'s 4,300 digits
    "0" * 5_000 + "2021",
)
#: Characters that are digits of some script (Nd) or other numbers (No: ², ½, ①).
unicode_digits = st.text(alphabet=st.characters(categories=("Nd", "No")), min_size=1, max_size=8)
huge_numbers = st.integers(min_value=1, max_value=60).map(lambda n: "9" * (n * 100))
texts = st.one_of(
    st.sampled_from(INTERESTING),
    unicode_digits,
    huge_numbers,
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.dates().map(str),
)


def query_pairs(names: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    keys = st.one_of(st.sampled_from(QUERY_KEYS + tuple(names)), st.text(max_size=12))
    return st.lists(st.tuples(keys, texts), max_size=6)


raw_queries = st.text(
    alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=60
)

CELL = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "Indicator",
            "Outturn type",
            "NUMBER",
            "PERCENTAGE",
            "RATE",
            "Target",
            "TBC",
            "N/A",
            "<5",
            ">=50",
            "=1+1",
            "Apr-21",
            "Feb-22",
            "Mar-22",
            "Southampton 20/21",
            "England",
            "South East",
            "Statistical Neighbours",
            "Date",
            "Title",
            "Action proposed",
            "Action taken",
            "Progress status",
            "Complete",
            "Not started",
            "In progress",
            "31/03/2022",
            "23/03/22",
        ]
    ),
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.booleans(),
)


@st.composite
def workbooks(draw, *, names: list[str], headers: list[list[str]]) -> bytes:
    """An .xlsx: optionally a real header row, then a grid of random cells (formulas and
    percent formats included)."""
    from openpyxl import Workbook

    book = Workbook()
    sheets = draw(st.integers(min_value=1, max_value=2))
    for number in range(sheets):
        ws = book.active if number == 0 else book.create_sheet(f"Sheet {number + 1}")
        if draw(st.booleans()):
            ws.append([draw(st.sampled_from(["Children and Families", "Scrutiny Monitoring"]))])
        if draw(st.booleans()):
            ws.append(draw(st.sampled_from(headers)))
        rows = draw(st.lists(st.lists(CELL, max_size=18), max_size=10))
        for row in rows:
            if row and draw(st.booleans()):
                row[0] = draw(st.sampled_from(names))
            try:
                ws.append(row)
            except Exception:  # openpyxl refuses some characters: leave the row out
                continue
            if draw(st.booleans()) and ws.max_row:
                ws.cell(row=ws.max_row, column=3).number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Hostile files: long CSV cells and workbooks that unpack to far more than they weigh ------

#: The csv module's limit on a cell (131,072 characters).
CSV_FIELD_LIMIT = 131_072
TRACKER_HEADER = ("Date", "Title", "Action proposed", "Action taken", "Progress status")


@st.composite
def long_field_csvs(draw) -> bytes:
    """A CSV tracker with one cell at or over the csv module's limit (quoted or not, or a quote
    never closed)."""
    rows = [
        list(TRACKER_HEADER),
        *(["31/03/22", "Item", f"{n}) That", "", "Complete"] for n in (1, 2)),
    ]
    row = draw(st.integers(min_value=0, max_value=len(rows) - 1))
    column = draw(st.integers(min_value=0, max_value=4))
    length = draw(st.sampled_from([CSV_FIELD_LIMIT, CSV_FIELD_LIMIT + 1, 3 * CSV_FIELD_LIMIT]))
    shape = draw(st.sampled_from(["plain", "quoted", "unclosed"]))
    cell = "x" * length
    rows[row][column] = {"plain": cell, "quoted": f'"{cell}"', "unclosed": f'"{cell}'}[shape]
    return "\r\n".join(",".join(r) for r in rows).encode()


def small_workbook(rows=None) -> bytes:
    """A one-sheet workbook in the tracker's layout."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows or [TRACKER_HEADER, ["31/03/22", "Item", "1) That", "", "Complete"]]:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(content: bytes, *, replace=None, add=None) -> bytes:
    """A zip package with members' bytes changed (`replace`: name -> function of the bytes)
    and members added (`add`: name -> an iterable of chunks, streamed and deflated)."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if replace and info.filename in replace:
                data = replace[info.filename](data)
            target.writestr(info.filename, data)
        for name, chunks in (add or {}).items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w", force_zip64=True) as handle:
                for chunk in chunks:
                    handle.write(chunk)
    return out.getvalue()


def bomb_workbook(extra_bytes: int, *, member: str = "xl/sharedStrings.xml") -> bytes:
    """A workbook with a member that unpacks to `extra_bytes` (the shape of the 400 KB upload
    that unpacked to 400 MB): shared strings by default, or any other member."""
    chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"

    def chunks():
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for _ in range(extra_bytes // len(chunk) + 1):
            yield chunk
        yield b"</sst>"

    return rewritten(small_workbook(), add={member: chunks()})


def declared_workbook(ref: str) -> bytes:
    """A small workbook whose sheet declares (in its dimension) the cells `ref`."""

    def patch(xml: bytes) -> bytes:
        start = xml.index(b"<dimension")
        end = xml.index(b"/>", start) + 2
        return xml[:start] + f'<dimension ref="{ref}"/>'.encode() + xml[end:]

    return rewritten(small_workbook(), replace={"xl/worksheets/sheet1.xml": patch})


_BOMBS: list[bytes] = []


def hostile_workbooks() -> list[bytes]:
    """Workbooks over the import limits, built once (a bomb takes a moment to deflate)."""
    if not _BOMBS:
        from core.workbook_limits import MAX_UNPACKED_BYTES

        over = MAX_UNPACKED_BYTES + 1024 * 1024
        _BOMBS.extend(
            [
                bomb_workbook(over),
                bomb_workbook(over, member="xl/media/image1.png"),
                declared_workbook("A1:XFD1048576"),
                declared_workbook("A1:E20001"),
                declared_workbook("A1:GS5"),  # 201 columns
            ]
        )
    return _BOMBS


def bomb_workbooks() -> st.SearchStrategy[bytes]:
    return st.sampled_from(hostile_workbooks())


# --- HTML forms: the fields a page offers ------------------------------------------------------


class FormFields(HTMLParser):
    """Collect each form field's name with its current value (inputs, textareas, selects)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio"):
                self.choices.setdefault(name, []).append(a.get("value") or "on")
                if "checked" in a:
                    self.fields[name] = a.get("value") or "on"
            else:
                self.fields.setdefault(name, a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self.choices.setdefault(self._select, []).append(value)
            if "selected" in a or not self.fields.get(self._select):
                self.fields[self._select] = value
        elif tag == "button" and name:
            self.choices.setdefault(name, []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    parser = FormFields()
    parser.feed(html)
    parser.fields.pop("csrfmiddlewaretoken", None)
    return parser.fields, parser.choices


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
