"""The council's tracker layout ("Scrutiny Monitoring"), read and written without Django.

A tracker is a sheet with title rows above a header row
`Date | Title | Action proposed | Action taken | Progress status`. A row whose Date and Title are
blank continues the title above it; "1) …" at the start of Action proposed is the
recommendation's number within its title; dates are written like 24/01/19.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

# The one rule for cells a spreadsheet would run, shared by every export.
from core.safe_cells import restore_neutralised

T = TypeVar("T")

HEADERS: tuple[str, ...] = ("Date", "Title", "Action proposed", "Action taken", "Progress status")
DATE, TITLE, PROPOSED, TAKEN, STATUS = HEADERS
REQUIRED_HEADERS = (DATE, TITLE, PROPOSED, STATUS)
#: How the council writes dates in the tracker: 24/01/19.
DATE_FORMAT = "%d/%m/%y"

ERROR_NO_HEADER = (
    "No header row found: the sheet needs a row with the columns "
    "Date, Title, Action proposed and Progress status."
)
ERROR_MISSING_COLUMN = "The header row (row {row}) has no “{column}” column."
ERROR_BAD_DATE = "“{value}” is not a date; write dates like 24/01/19."
ERROR_CONTINUATION_WITHOUT_TITLE = (
    "Date and Title are blank but there is no title above to continue."
)
ERROR_DATE_WITHOUT_TITLE = "Title is blank; a row with a date needs its title."
ERROR_TITLE_WITHOUT_DATE = "Date is blank; a row with a title needs its date."
ERROR_NO_PROPOSAL = "Action proposed is blank."
ERROR_UNKNOWN_STATUS = "“{value}” is not a known progress status (known: {known})."
ERROR_BLANK_STATUS = "Progress status is blank."
ERROR_DUPLICATE = "Recommendation {number}) of “{title}” on {date} is already on row {first_row}."
ERROR_TITLE_TOO_LONG = "Title is longer than {limit} characters."

_NUMBER_PREFIX = re.compile(r"^\s*(\d{1,3})\s*[).]\s*", re.UNICODE)
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*")
_SPACES = re.compile(r"\s+")
_TITLE_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")
_MONTHS = {
    name.lower(): index
    for index, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}


def status_key(label: str) -> str:
    """The form of a status label used to match it: case, dashes, spacing and a final full stop
    do not matter ("Not complete – within timescale." = "not complete - within timescale")."""
    text = _DASHES.sub(" - ", label.strip())
    text = _SPACES.sub(" ", text).strip().rstrip(".").strip()
    return text.casefold()


def split_number(text: str) -> tuple[int | None, str]:
    """Split "1) That the Panel …" into (1, "That the Panel …"); (None, text) without a prefix."""
    match = _NUMBER_PREFIX.match(text)
    if not match:
        return None, text
    return int(match.group(1)), text[match.end() :]


def format_proposal(*, number: int, text: str) -> str:
    """The Action proposed cell as the council writes it: "1) That …"."""
    return f"{number}) {text}"


def format_date(value: date) -> str:
    """A date as the tracker writes it: 17/06/21."""
    return value.strftime(DATE_FORMAT)


def parse_date(value: Any) -> date:
    """A tracker date: a spreadsheet date, or text like 24/01/19, 24/01/2019 or 2019-01-24."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(ERROR_BAD_DATE.format(value=text))


def date_in_title(text: str) -> date | None:
    """The date in a title row such as "Scrutiny Monitoring – 31 March 2022", if any."""
    for day, month, year in _TITLE_DATE.findall(text):
        if month.lower() in _MONTHS:
            try:
                return date(int(year), _MONTHS[month.lower()], int(day))
            except ValueError:
                return None
    return None


def cell_text(value: Any) -> str:
    """A cell as text, exactly as written (line breaks, bullets, dashes kept); blank for None."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return format_date(value if isinstance(value, date) else value.date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return restore_neutralised(str(value))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class CellError:
    """A problem with one cell (or a whole row when column is blank), numbered as Excel does."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class TrackerRow(Generic[T]):
    row: int
    meeting_date: date
    item_title: str
    number: int
    action_proposed: str
    action_taken: str
    status: T


@dataclass
class ParsedTracker(Generic[T]):
    titles: list[str] = field(default_factory=list)
    rows: list[TrackerRow[T]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def report_date(self) -> date | None:
        """The date named in the title rows ("Scrutiny Monitoring – 31 March 2022")."""
        for title in self.titles:
            found = date_in_title(title)
            if found:
                return found
        return None


def column_letter(index: int) -> str:
    """Excel's name of the column at 0-based `index`: A, B, … Z, AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _find_header(rows: Sequence[tuple[int, Sequence[Any]]]) -> tuple[int, dict[str, int]] | None:
    wanted = {header.casefold(): header for header in HEADERS}
    for position, (_, cells) in enumerate(rows):
        found: dict[str, int] = {}
        for index, value in enumerate(cells):
            key = cell_text(value).strip().casefold()
            if key in wanted and wanted[key] not in found:
                found[wanted[key]] = index
        if DATE in found and TITLE in found and PROPOSED in found:
            return position, found
    return None


def parse_tracker(
    rows: Iterable[Sequence[Any]],
    *,
    statuses: Mapping[str, T],
    title_limit: int = 300,
) -> ParsedTracker[T]:
    """Read a tracker sheet's rows (Excel numbering from 1) into recommendations and errors.

    `statuses` maps `status_key(label)` of every known name and alias to the status it means.
    Nothing is skipped silently: every problem is reported with its row and column.
    """
    numbered = [(index, list(cells)) for index, cells in enumerate(rows, start=1)]
    parsed: ParsedTracker[T] = ParsedTracker()
    header = _find_header(numbered)
    if header is None:
        parsed.errors.append(CellError(row=1, column="", message=ERROR_NO_HEADER))
        return parsed
    position, columns = header
    header_row = numbered[position][0]
    for _, cells in numbered[:position]:
        text = " ".join(cell_text(c).strip() for c in cells if not _is_blank(c))
        if text:
            parsed.titles.append(text)
    for required in REQUIRED_HEADERS:
        if required not in columns:
            parsed.errors.append(
                CellError(
                    row=header_row,
                    column="",
                    message=ERROR_MISSING_COLUMN.format(row=header_row, column=required),
                )
            )
    if parsed.errors:
        return parsed

    def cell(cells: list[Any], name: str) -> Any:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def where(name: str) -> str:
        return f"{column_letter(columns[name])} ({name})"

    known = ", ".join(sorted({k for k in statuses}))
    current: tuple[date, str] | None = None
    group_failed = False
    last_number = 0
    seen: dict[tuple[date, str, int], int] = {}
    for row_number, cells in numbered[position + 1 :]:
        if all(_is_blank(c) for c in cells):
            continue
        errors: list[CellError] = []

        def error(
            name: str, message: str, row_number: int = row_number, errors: list = errors
        ) -> None:
            errors.append(CellError(row=row_number, column=where(name), message=message))

        raw_date, raw_title = cell(cells, DATE), cell(cells, TITLE)
        if _is_blank(raw_date) and _is_blank(raw_title):
            if current is None and not group_failed:
                error(TITLE, ERROR_CONTINUATION_WITHOUT_TITLE)
        elif _is_blank(raw_title):
            error(TITLE, ERROR_DATE_WITHOUT_TITLE)
            current, group_failed = None, True
        elif _is_blank(raw_date):
            error(DATE, ERROR_TITLE_WITHOUT_DATE)
            current, group_failed = None, True
        else:
            group_failed = False
            title = cell_text(raw_title).strip()
            try:
                current = (parse_date(raw_date), title)
                last_number = 0
            except ValueError as exc:
                error(DATE, str(exc))
                current, group_failed = None, True
            if len(title) > title_limit:
                error(TITLE, ERROR_TITLE_TOO_LONG.format(limit=title_limit))

        proposal = cell_text(cell(cells, PROPOSED))
        number, text = split_number(proposal)
        if not text.strip():
            error(PROPOSED, ERROR_NO_PROPOSAL)
        if number is None:
            number = last_number + 1
        last_number = number

        raw_status = cell_text(cell(cells, STATUS))
        status = statuses.get(status_key(raw_status)) if raw_status.strip() else None
        if not raw_status.strip():
            error(STATUS, ERROR_BLANK_STATUS)
        elif status is None:
            error(STATUS, ERROR_UNKNOWN_STATUS.format(value=raw_status.strip(), known=known))

        if current is not None and not errors:
            key = (current[0], current[1].casefold(), number)
            if key in seen:
                error(
                    PROPOSED,
                    ERROR_DUPLICATE.format(
                        number=number,
                        title=current[1],
                        date=format_date(current[0]),
                        first_row=seen[key],
                    ),
                )
            else:
                seen[key] = row_number
        if errors or current is None:
            parsed.errors.extend(errors)
            continue
        parsed.rows.append(
            TrackerRow(
                row=row_number,
                meeting_date=current[0],
                item_title=current[1],
                number=number,
                action_proposed=text,
                action_taken=cell_text(cell(cells, TAKEN)),
                status=status,  # type: ignore[arg-type]
            )
        )
    return parsed


def grouped_cells(
    groups: Iterable[tuple[date, str, Sequence[T]]],
    *,
    proposal: Callable[[T], tuple[int, str]],
    taken: Callable[[T], str],
    status: Callable[[T], str],
) -> list[tuple[date | None, str, str, str, str]]:
    """The body rows of the council layout: date and title only on the first row of a group."""
    body: list[tuple[date | None, str, str, str, str]] = []
    for meeting_date, title, items in groups:
        for position, item in enumerate(items):
            number, text = proposal(item)
            body.append(
                (
                    meeting_date if position == 0 else None,
                    title if position == 0 else "",
                    format_proposal(number=number, text=text),
                    taken(item),
                    status(item),
                )
            )
    return body
