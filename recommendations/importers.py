"""Import of an existing tracker (.xlsx or .csv in the council's layout).

The format (`tracker_format`) reads the council's layout; `plan_import` checks the whole file and
works out what importing it would do; `services.apply_import` writes the plan (or
`services.import_tracker` takes all three steps), and any error writes nothing. Matching
recommendations (panel, meeting date, title, number) are updated, not duplicated, so importing
the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core import workbook_limits
from meetings.models import Panel

from . import rules
from . import tracker_format as fmt
from .models import Recommendation, RecommendationUpdate, Status

#: Uploads larger than this are refused before they are read.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: More rows than any real tracker: a guard against a hostile or mistaken file.
MAX_ROWS = 5000
#: More columns than any real tracker (it has five, sometimes with notes beside them).
MAX_COLUMNS = 100
#: The longest cell a CSV tracker may hold: the csv module's own limit (131,072 characters).
MAX_CSV_FIELD = csv.field_size_limit()
EXTENSIONS = (".xlsx", ".csv")

ERROR_EXTENSION = "“{name}” is not a tracker file: upload an .xlsx or .csv file."
ERROR_TOO_LARGE = "The file is {size:,} bytes; the limit is {limit:,} bytes."
ERROR_NOT_XLSX = "“{name}” cannot be read as an Excel .xlsx workbook."
ERROR_NOT_TEXT = "“{name}” is not a UTF-8 or Windows-1252 text file."
ERROR_TOO_MANY_ROWS = "The sheet has more than {limit:,} rows."
ERROR_INVALID_FIELD = "{field}: {message}"
ERROR_FIELD_TOO_LONG = (
    "The cell is longer than {limit:,} characters, the most a CSV cell may hold "
    "(or a quote is not closed)."
)
ERROR_NOT_CSV = "“{name}” cannot be read as CSV: {error}."


class TrackerImportError(Exception):
    """The file cannot be imported; `errors` name every problem by row and column."""

    def __init__(self, errors: list[fmt.CellError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


@dataclass
class RowChange:
    row: int
    key: tuple[date, str, int]
    recommendation: Recommendation | None
    status: Status
    action_proposed: str
    action_taken: str
    changes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        meeting_date, title, number = self.key
        return f"{fmt.format_date(meeting_date)} {title} {number})"


@dataclass
class ImportPlan:
    """What an import would do: every row is created, updated or unchanged."""

    panel: Panel
    report_date: date
    created: list[RowChange] = field(default_factory=list)
    updated: list[RowChange] = field(default_factory=list)
    unchanged: list[RowChange] = field(default_factory=list)
    errors: list[fmt.CellError] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated)


def read_rows(*, content: bytes, name: str) -> list[tuple[Any, ...]]:
    """The rows of the first sheet of an .xlsx (values only: formulas are never evaluated) or of
    a .csv file (UTF-8, with or without a byte-order mark, or Windows-1252)."""
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise TrackerImportError([fmt.CellError(0, "", ERROR_EXTENSION.format(name=name))])
    if len(content) > MAX_UPLOAD_BYTES:
        raise TrackerImportError(
            [
                fmt.CellError(
                    0, "", ERROR_TOO_LARGE.format(size=len(content), limit=MAX_UPLOAD_BYTES)
                )
            ]
        )
    if suffix == ".xlsx":
        try:
            # Before openpyxl unpacks anything: a small file can unpack to gigabytes.
            workbook_limits.check_workbook(content, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
        except workbook_limits.WorkbookTooLarge as exc:
            raise TrackerImportError([fmt.CellError(0, "", exc.message)]) from exc
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise TrackerImportError(
                [fmt.CellError(0, "", ERROR_NOT_XLSX.format(name=name))]
            ) from exc
        try:
            rows = []
            for row in book.worksheets[0].iter_rows(values_only=True):
                rows.append(row)
                if len(rows) > MAX_ROWS:
                    raise TrackerImportError(
                        [fmt.CellError(0, "", ERROR_TOO_MANY_ROWS.format(limit=MAX_ROWS))]
                    )
            return rows
        except (ElementTree.ParseError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            # The sheet's XML is read row by row: a malformed or entity-bomb sheet fails here.
            raise TrackerImportError(
                [fmt.CellError(0, "", ERROR_NOT_XLSX.format(name=name))]
            ) from exc
        finally:
            book.close()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise TrackerImportError(
                [fmt.CellError(0, "", ERROR_NOT_TEXT.format(name=name))]
            ) from exc
    rows = _csv_rows(text, name=name)
    if len(rows) > MAX_ROWS:
        raise TrackerImportError([fmt.CellError(0, "", ERROR_TOO_MANY_ROWS.format(limit=MAX_ROWS))])
    return rows


def _csv_rows(text: str, *, name: str) -> list[tuple[str, ...]]:
    """The rows of a CSV tracker; a cell over the csv module's limit is refused by row and
    column (Excel's numbering), not left to raise."""
    rows: list[tuple[str, ...]] = []
    record: list[str] = []  # the lines of the record being read

    def lines():
        for line in io.StringIO(text, newline=""):
            record.append(line)
            yield line

    reader = csv.reader(lines())
    try:
        for row in reader:
            rows.append(tuple(row))
            record.clear()
    except csv.Error as exc:
        row_number = len(rows) + 1
        column = _long_cell_column("".join(record), limit=MAX_CSV_FIELD)
        if column is None:
            message = ERROR_NOT_CSV.format(name=name, error=exc)
            raise TrackerImportError([fmt.CellError(row_number, "", message)]) from exc
        message = ERROR_FIELD_TOO_LONG.format(limit=MAX_CSV_FIELD)
        raise TrackerImportError(
            [fmt.CellError(row_number, fmt.column_letter(column), message)]
        ) from exc
    return rows


def _long_cell_column(record: str, *, limit: int) -> int | None:
    """The index of the first cell of a CSV record (Excel's dialect) longer than `limit`."""
    column, length, quoted = 0, 0, False
    position = 0
    while position < len(record):
        char = record[position]
        if quoted:
            if char == '"':
                if record[position + 1 : position + 2] == '"':
                    position += 1
                else:
                    quoted = False
                    position += 1
                    continue
            length += 1
        elif char == '"' and length == 0:
            quoted = True
        elif char == ",":
            column, length = column + 1, 0
        elif char in "\r\n":
            column, length = 0, 0
        else:
            length += 1
        if length > limit:
            return column
        position += 1
    return None


def status_lookup() -> dict[str, Status]:
    """Every status by its name and each alias, in the form `tracker_format.status_key` gives."""
    lookup: dict[str, Status] = {}
    for status in Status.objects.all():
        for label in [status.name, *status.aliases.split(",")]:
            if label.strip():
                lookup.setdefault(fmt.status_key(label), status)
    return lookup


def _latest_updates(recommendations: list[Recommendation]) -> dict[int, RecommendationUpdate]:
    latest: dict[int, RecommendationUpdate] = {}
    updates = RecommendationUpdate.objects.filter(recommendation__in=recommendations).order_by(
        "date", "pk"
    )
    for update in updates:
        latest[update.recommendation_id] = update
    return latest


def plan_import(*, panel: Panel, rows: list[tuple[Any, ...]], today: date) -> ImportPlan:
    """Read and check the whole file and work out, row by row, what importing it would do."""
    title_limit = Recommendation._meta.get_field("item_title").max_length
    parsed = fmt.parse_tracker(rows, statuses=status_lookup(), title_limit=title_limit)
    plan = ImportPlan(panel=panel, report_date=parsed.report_date or today, errors=parsed.errors)
    existing = {
        (rec.meeting_date, rec.item_title.casefold(), rec.number): rec
        for rec in Recommendation.objects.filter(panel=panel).select_related("status")
    }
    latest = _latest_updates(list(existing.values()))
    for row in parsed.rows:
        key = (row.meeting_date, row.item_title, row.number)
        rec = existing.get((row.meeting_date, row.item_title.casefold(), row.number))
        change = RowChange(
            row=row.row,
            key=key,
            recommendation=rec,
            status=row.status,
            action_proposed=row.action_proposed,
            action_taken=row.action_taken,
        )
        if rec is None:
            candidate = Recommendation(
                panel=panel,
                meeting_date=row.meeting_date,
                item_title=row.item_title,
                number=row.number,
                action_proposed=row.action_proposed,
                status=row.status,
                response_due=rules.default_response_due(meeting_date=row.meeting_date),
            )
            try:
                candidate.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        plan.errors.append(
                            fmt.CellError(
                                row.row, "", ERROR_INVALID_FIELD.format(field=name, message=message)
                            )
                        )
                continue
            plan.created.append(change)
            continue
        if rec.action_proposed != row.action_proposed:
            change.changes.append("action proposed")
        last = latest.get(rec.pk)
        if row.action_taken.strip() and (last is None or last.action_taken != row.action_taken):
            change.changes.append("action taken")
        if rec.status_id != row.status.pk:
            change.changes.append(f"status {rec.status.name} → {row.status.name}")
        (plan.updated if change.changes else plan.unchanged).append(change)
    return plan
