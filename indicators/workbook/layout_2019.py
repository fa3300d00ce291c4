"""The council's 2019 monthly dataset layout, read (indicators.workbook.reading) and written
(indicators.exports) from this one description, without Django.

A 2019 sheet is a header row

    Ref | Indicator | Owner | Reporter | Outcome | 13 months ending at the reporting month
    (Feb-18 … Feb-19) | % change from previous month | % change from same month prev. yr | DoT |
    12 month average | 12-mnth max value | Percentage? | Stat. Neighbour | England | SE region

with, above the benchmark columns, a note that may say which year they are for ("Updated
Mar-19 using 17-18 data"). The Percentage? column holds `P` for a percentage indicator and `-`
otherwise. Percentages are printed with one decimal (25.8%), counts and rates as whole numbers;
the two changes are whole percentages the council computed from unrounded figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

LEAD: tuple[str, ...] = ("Ref", "Indicator", "Owner", "Reporter", "Outcome")
#: The months a sheet shows: the reporting month and the twelve before it.
MONTHS = 13
PCT_PREV = "% change from previous month"
PCT_YEAR = "% change from same month prev. yr"
DOT = "DoT"
AVERAGE = "12 month average"
MAXIMUM = "12-mnth max value"
DERIVED: tuple[str, ...] = (PCT_PREV, PCT_YEAR, DOT, AVERAGE, MAXIMUM)
PERCENTAGE = "Percentage?"
#: The benchmark columns' headings, and the comparators they are.
BENCHMARKS: dict[str, str] = {
    "Stat. Neighbour": "Statistical Neighbours",
    "England": "England",
    "SE region": "South East",
}

#: The Percentage? column's marks.
PERCENT_MARK = "P"
NOT_PERCENT_MARK = "-"
_PERCENT_MARKS = frozenset({"p", "y", "yes", "true", "1", "x", "✓", "%"})
_NOT_PERCENT_MARKS = frozenset({"-", "–", "—", "n", "no", "false", "0", ""})

#: The Excel format of the printed changes.
CHANGE_FORMAT = "+0%;-0%;0%"

_NOTE = re.compile(r"using\s+(?:data\s+(?:for|from)\s+)?(\d{2}|\d{4})\s*[-/–]\s*(\d{2})\b", re.I)
_NOTE_ALT = re.compile(r"(\d{2}|\d{4})\s*[-/–]\s*(\d{2})\s+data\b", re.I)
NOTE_TEMPLATE = "Updated {updated:%b-%y} using {year_from:02d}-{year_to:02d} data"
_RATE_NAME = re.compile(r"\brates?\b|\bper\s+\d", re.I)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_TITLE_MONTH = re.compile(r"\b([a-z]{3,9})\.?[\s\-]+(\d{4})\b", re.I)


def header(*, months: list[date], month_heading) -> list[str]:
    """The header row for a sheet whose month columns are `months` (headed by
    `month_heading(month)`)."""
    return [
        *LEAD,
        *(month_heading(m) for m in months),
        *DERIVED,
        PERCENTAGE,
        *BENCHMARKS,
    ]


def months_to(*, reporting_month: date) -> list[date]:
    """Rule: a sheet shows the 13 months ending at the reporting month (Feb-18 … Feb-19), not
    the financial year."""
    months = []
    year, month = reporting_month.year, reporting_month.month
    for _ in range(MONTHS):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def percentage_mark(*, text: object) -> bool | None:
    """Rule: `P` (or Y, Yes, %) in the Percentage? column marks a percentage indicator, `-`
    (or N, No, blank) any other; None for a mark that is neither."""
    word = " ".join(str(text if text is not None else "").split()).casefold()
    if word in _PERCENT_MARKS:
        return True
    if word in _NOT_PERCENT_MARKS:
        return False
    return None


def is_rate_name(*, name: str) -> bool:
    """Rule: with `-` in the Percentage? column nothing else in the file tells a rate from a
    count, so an indicator the import creates is a rate when its name says so: the word
    "rate" or "rates" ("Rate of CLA per 10,000 under 18 population", "Rates of referrals
    per 10,000 of Under 18 Population") or "per" a number ("Re-referrals per 10k"); any
    other is a count. An indicator already in the dataset keeps its type."""
    return bool(_RATE_NAME.search(name or ""))


def title_month(*, text: object) -> date | None:
    """Rule: a title row that names a month and year ("Children's Services Performance
    Dataset – February 2019", "Feb 2019") says the sheet's reporting month; None when it names
    none. A short year ("Mar-19") is not read: the benchmark note writes dates that way."""
    if not isinstance(text, str):
        return None
    for word, year in _TITLE_MONTH.findall(text):
        word = word.casefold()
        for number, name in enumerate(_MONTH_NAMES, 1):
            if word in (name, name[:3]) or (number == 9 and word == "sept"):
                return date(int(year), number, 1)
    return None


def mark_for(*, is_percentage: bool) -> str:
    return PERCENT_MARK if is_percentage else NOT_PERCENT_MARK


def benchmark_note_year(*, text: object) -> int | None:
    """Rule: a note above the benchmark columns such as "Updated Mar-19 using 17-18 data" says
    they are the figures of financial year 2017/18 (returned as 2017); None when the text says
    no year."""
    if not isinstance(text, str):
        return None
    match = _NOTE.search(text) or _NOTE_ALT.search(text)
    if not match:
        return None
    first, second = match.group(1), match.group(2)
    start = int(first) if len(first) == 4 else 2000 + int(first)
    if (start + 1) % 100 != int(second):
        return None
    return start


def benchmark_note(*, year: int, updated: date) -> str:
    """The note the export writes above the benchmark columns, which `benchmark_note_year`
    reads back."""
    return NOTE_TEMPLATE.format(updated=updated, year_from=year % 100, year_to=(year + 1) % 100)


def places_of_format(number_format: str) -> int | None:
    """Decimal places an Excel number format prints (`0.0%` → 1, `#,##0` → 0), or None for
    `General` (the value prints as it is)."""
    if not number_format or number_format.casefold() == "general":
        return None
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format.split(";")[0])
    if not re.search(r"[0#?]", section):
        return None
    match = re.search(r"\.([0#?]+)", section)
    return len(match.group(1)) if match else 0


def places_of_number(number: Decimal) -> int:
    """Decimal places a number shows as written (25.80 → 1, 26 → 0)."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float


def _rounding_interval(value: float, places: int, terms: int = 1) -> Interval:
    # A figure made of `terms` rounded cells (a month's increment of a year-to-date measure is
    # the difference of two) is out by up to half a unit for each.
    half = 0.5 * 10**-places * terms
    return Interval(value - half, value + half)


def round_half_up(value: float, places: int) -> Decimal:
    """The council's rounding: halves away from zero (2.5 → 3)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def change_agrees(
    *,
    printed: Decimal,
    places: int,
    current: float,
    previous: float,
    value_places: int,
    terms: int = 1,
) -> bool:
    """Rule: a printed % change agrees with the figures when some figures that round to the
    printed cells (at `value_places`) give a change that, rounded half up to the change's
    printed precision (`places`), is the printed change. The council computes changes from
    unrounded figures, so recomputing from the rounded cells may differ by a point; only a
    change no such figures could give is a real disagreement. `terms`: how many cells each
    figure is made of (2 for a month's increment of a year-to-date measure)."""
    now = _rounding_interval(current, value_places, terms)
    before = _rounding_interval(previous, value_places, terms)
    if before.low <= 0 <= before.high:
        return True  # a change from about nothing can be any size
    corners = [
        (c - p) / abs(p) * 100 for c in (now.low, now.high) for p in (before.low, before.high)
    ]
    return _overlaps(Interval(min(corners), max(corners)), printed, places)


def figure_agrees(
    *, printed: Decimal, places: int, computed: float, value_places: int, terms: int = 1
) -> bool:
    """Rule: a printed 12-month average or maximum agrees when it is, at its printed
    precision, what figures rounding to the cells could give (the average or maximum of
    rounded cells is within half a unit of theirs)."""
    return _overlaps(_rounding_interval(computed, value_places, terms), printed, places)


def _overlaps(possible: Interval, printed: Decimal, places: int) -> bool:
    # Half up: the printed figure stands for [x − ½ unit, x + ½ unit); a tiny allowance for
    # float arithmetic at the edges.
    half = 0.5 * 10**-places
    epsilon = 1e-9 * max(1.0, abs(float(printed)))
    return (
        possible.low < float(printed) + half + epsilon
        and possible.high >= float(printed) - half - epsilon
    )
