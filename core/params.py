"""Numbers in a query string (?year=2021, ?per_page=50), read the same way on every page.

The council's rule: a page asked for a year or a page size it cannot use shows its default (and,
where the page has a year picker, says which year it could not show); it never fails. Only the
ASCII digits 0-9 make a number: `str.isdigit()` also accepts "²" and "٣", which `int()` then
refuses, and a number of thousands of digits is refused by `int()` too.

Framework-free: the functions take the raw text of one parameter.
"""

from __future__ import annotations

import re
from datetime import date

#: The years a page may be asked for (financial and municipal years alike).
YEAR_MIN = 1900
YEAR_MAX = 2200
#: The largest id a page may be asked for (a database's 32-bit integer key).
ID_MAX = 2**31 - 1
#: The last year a month may be in: the financial year after it must still be a date.
MONTH_YEAR_MAX = 9998
_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)


def parse_int(raw: str | None, *, minimum: int, maximum: int) -> int | None:
    """The whole number `raw` spells, or None when it is blank, not only ASCII digits (after
    stray spaces are trimmed), or outside minimum..maximum."""
    text = (raw or "").strip()
    # A number with more digits than the maximum is out of range: never convert it.
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    significant = text.lstrip("0") or "0"
    if len(significant) > len(str(maximum)):
        return None
    number = int(significant)
    return number if minimum <= number <= maximum else None


def parse_month(raw: str | None) -> date | None:
    """A month written YYYY-MM (2022-02; stray spaces trimmed), from January 1900 to December
    MONTH_YEAR_MAX, or None. Its year may lie beyond YEAR_MAX: whether a month is too far ahead
    is for the rules that read it to say (an officer entering January 2999 is told the month is
    in the future)."""
    match = _MONTH.fullmatch((raw or "").strip())
    if not match:
        return None
    year = parse_int(match.group(1), minimum=YEAR_MIN, maximum=MONTH_YEAR_MAX)
    month = parse_int(match.group(2), minimum=1, maximum=12)
    return date(year, month, 1) if year is not None and month is not None else None


def parse_year(raw: str | None) -> int | None:
    """A year (?year=2021) between YEAR_MIN and YEAR_MAX, or None."""
    return parse_int(raw, minimum=YEAR_MIN, maximum=YEAR_MAX)


#: The parts of a date a changelist's date hierarchy reads (?month__year=2021&month__month=4),
#: with the range each may take.
DATE_PARTS = {"year": (YEAR_MIN, YEAR_MAX), "month": (1, 12), "day": (1, 31)}


def unusable_date_parts(query, *, field: str) -> list[str]:
    """The date-hierarchy parameters of `field` in `query` (a mapping of parameter to text)
    that are not numbers in their range: Django's admin turns them into a date, and a year of
    many digits overflows it (a server error) rather than being refused."""
    unusable = []
    for part, (minimum, maximum) in DATE_PARTS.items():
        name = f"{field}__{part}"
        if name in query and parse_int(query[name], minimum=minimum, maximum=maximum) is None:
            unusable.append(name)
    return unusable
