"""The fuzzer's Hypothesis strategies: query strings, CSV text and workbooks in shapes close to
the council's layouts, and hostile files (CSV cells over the csv module's limit, workbooks
that unpack to far more than they weigh or declare more rows than the importers read).
"""

from __future__ import annotations

import io
from datetime import date

from hypothesis import strategies as st

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
