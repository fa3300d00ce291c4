"""How big an uploaded .xlsx workbook may be, checked before openpyxl reads a byte of it.

An .xlsx file is a zip package, and a small package can unpack to a huge one: a 400 KB upload
that unpacks to 400 MB took the dataset import to 1.45 GB of memory before it was refused. The
council's rule: a workbook is refused, with the limit in the message, when

- its members together unpack to more than `MAX_UNPACKED_BYTES`, or
- a sheet declares (in its `<dimension ref="A1:…">`) more rows or columns than the importer
  reads.

Only the zip's directory and the first few kilobytes of each sheet are read: the declared sizes
come from the directory (zipfile never unpacks more than a member declares), the dimension is at
the head of a sheet. Each importer still counts the rows it actually reads, for a sheet whose
dimension is missing or wrong.

Framework-free: zipfile and re only.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

#: Far more than any real council workbook unpacks to (the demo's is under 1 MB), far less than
#: would strain a server.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

MSG_UNPACKED_TOO_BIG = (
    "The workbook unpacks to {size:,} bytes; the limit is {limit:,} bytes. Remove unused "
    "sheets, pictures and formatting, or split it into smaller files."
)
MSG_SHEET_TOO_BIG = (
    "Sheet “{sheet}” has {rows:,} rows and {columns:,} columns (cells {ref}); the limit is "
    "{max_rows:,} rows and {max_columns:,} columns. Delete the empty rows and columns after "
    "the table, or split it into smaller files."
)

#: How much of a sheet's XML is read to find its dimension (it comes before the cells).
_HEAD_BYTES = 64 * 1024
#: How much of the workbook's list of sheets is read to name them.
_INDEX_BYTES = 1024 * 1024
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
#: What reading a damaged member can raise; such a member is left for openpyxl to refuse.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)


class WorkbookTooLarge(ValueError):
    """The workbook is over a limit; `message` says which and what the limit is."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def check_workbook(
    source: str | Path | bytes | BinaryIO,
    *,
    max_rows: int,
    max_columns: int,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> None:
    """Raise `WorkbookTooLarge` when the workbook unpacks to more than `max_unpacked_bytes` or
    a sheet declares more than `max_rows` rows or `max_columns` columns.

    A file that is not a zip package passes: recognising one is the importer's job. A file
    object is left where it was."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            check_workbook(
                handle,
                max_rows=max_rows,
                max_columns=max_columns,
                max_unpacked_bytes=max_unpacked_bytes,
            )
        return
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    start = stream.tell() if hasattr(stream, "tell") else 0
    try:
        try:
            package = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return
        with package:
            members = package.infolist()
            size = sum(member.file_size for member in members)
            if size > max_unpacked_bytes:
                raise WorkbookTooLarge(
                    MSG_UNPACKED_TOO_BIG.format(size=size, limit=max_unpacked_bytes)
                )
            names = _sheet_names(package)
            for member in members:
                path = member.filename
                if not (path.startswith("xl/worksheets/") and path.endswith(".xml")):
                    continue
                ref = _dimension(package, member)
                if ref is None:
                    continue
                rows, columns = ref_size(ref)
                if rows > max_rows or columns > max_columns:
                    raise WorkbookTooLarge(
                        MSG_SHEET_TOO_BIG.format(
                            sheet=names.get(path, path),
                            rows=rows,
                            columns=columns,
                            ref=ref,
                            max_rows=max_rows,
                            max_columns=max_columns,
                        )
                    )
    finally:
        if hasattr(stream, "seek"):
            stream.seek(start)


def ref_size(ref: str) -> tuple[int, int]:
    """The rows and columns a sheet spans from A1 to the far corner of `ref` ("A1:XFD1048576"
    is 1,048,576 rows by 16,384 columns; "B2" alone is 2 by 2); (0, 0) when unreadable."""
    corner = ref.split(":")[-1].strip()
    match = _CELL.fullmatch(corner)
    if not match:
        return 0, 0
    letters, row = match.groups()
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(row), column


def _read_head(package: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bytes:
    try:
        with package.open(member) as handle:
            return handle.read(limit)
    except _DAMAGED:
        return b""


def _dimension(package: zipfile.ZipFile, member: zipfile.ZipInfo) -> str | None:
    match = _DIMENSION.search(_read_head(package, member, _HEAD_BYTES))
    return match.group(1).decode("ascii", "replace") if match else None


def _attributes(raw: bytes) -> dict[str, str]:
    found = {}
    for key, value in _ATTRIBUTE.findall(raw):
        name = key.decode("ascii", "replace").split(":")[-1]
        found[name] = html.unescape(value.decode("utf-8", "replace"))
    return found


def _sheet_names(package: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's member path ("xl/worksheets/sheet1.xml") with its name as Excel shows it."""
    try:
        book = _read_head(package, package.getinfo("xl/workbook.xml"), _INDEX_BYTES)
        rels = _read_head(package, package.getinfo("xl/_rels/workbook.xml.rels"), _INDEX_BYTES)
    except KeyError:
        return {}
    targets = {}
    for tag, raw in _TAG.findall(rels):
        if tag == b"Relationship":
            attributes = _attributes(raw)
            target = attributes.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[attributes.get("Id", "")] = path
    names = {}
    for tag, raw in _TAG.findall(book):
        if tag == b"sheet":
            attributes = _attributes(raw)
            path = targets.get(attributes.get("id", ""))
            if path:
                names[path] = attributes.get("name", path)
    return names
