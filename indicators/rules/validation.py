"""The rules an officer's monthly figures must pass, free of any framework.

The entry screen, the spreadsheet importer and the admin's plain change form all check values
with these functions, so one figure gets the same verdict, in the same words, wherever it is
entered. Every message is a module constant with placeholders; every message names the
indicator and the month, and a message about a cell of a file also names the sheet, the row and
the column (see `Location` and `Issue.text`).

Conventions as in `indicators.rules.statistics`: months are `date`s on the first of the month,
percentages are in percent units (21 means 21%), and a missing figure is a status, never a zero.
Numbers are `Decimal`s (as the database stores them) or anything `Decimal(str(x))` accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from .cells import parse_cell
from .figures import show
from .vocabulary import NUMBER, PERCENTAGE, RATE

ERROR = "error"
WARNING = "warning"

#: A rate is per 10,000 of the under-18 population.
RATE_BASE = Decimal(10_000)

# --- Messages (errors) --------------------------------------------------------------------
MSG_PERCENTAGE_RANGE = "{indicator}, {month}: a percentage must be between 0 and 100, not {value}."
MSG_COUNT_NOT_WHOLE = "{indicator}, {month}: a count must be a whole number, not {value}."
MSG_COUNT_NEGATIVE = "{indicator}, {month}: a count cannot be negative ({value})."
MSG_RATE_NEGATIVE = "{indicator}, {month}: a rate cannot be negative ({value})."
MSG_FUTURE_MONTH = (
    "{indicator}, {month}: the month is in the future; values can be entered up to {latest}."
)
MSG_DUPLICATE = "{indicator}, {month}: given more than once; an indicator has one value a month."
MSG_NUMBER_AND_STATUS = "{indicator}, {month}: give a number or a status ({status}), not both."
MSG_UNREADABLE = (
    "{indicator}, {month}: “{text}” is not a number or a status (TBC, N/A, Local, - or blank)."
)
MSG_TOO_LARGE = "{indicator}, {month}: {value} is too large to store."
MSG_TARGET_STATUS = "{indicator}: a target is a number, a bound such as <36%, TBC or blank."
MSG_TOO_PRECISE = "{indicator}, {month}: {value} has more than 4 decimal places."
MSG_DENOMINATOR_MISSING = (
    "{indicator}, {month}: a numerator needs a denominator, and a denominator a numerator."
)
MSG_DENOMINATOR_NOT_POSITIVE = "{indicator}, {month}: the denominator must be above 0."
MSG_NUMERATOR_NEGATIVE = "{indicator}, {month}: the numerator cannot be negative."
MSG_FRACTION_FOR_COUNT = (
    "{indicator}, {month}: a count has no numerator and denominator; enter the count itself."
)
MSG_FRACTION_MISMATCH = (
    "{indicator}, {month}: {numerator} / {denominator} gives {computed}, not {value}."
)
MSG_FRACTION_WITH_STATUS = (
    "{indicator}, {month}: a numerator and denominator cannot go with the status {status}."
)
# --- Messages (warnings: confirmed with a reason) ------------------------------------------
MSG_OUTSIDE_HISTORY = (
    "{indicator}, {month}: {value} is far outside the indicator's history: beyond its range "
    "({low} to {high}) and {jump} away from the last value ({last}), more than 3 × the average "
    "moving range ({limit}). Check it, then confirm it with a reason."
)
MSG_BEYOND_RANGE = (
    "{indicator}, {month}: {value} is outside the indicator's history ({low} to {high}). "
    "Check it, then confirm it with a reason."
)
MSG_BIG_JUMP = (
    "{indicator}, {month}: {value} is {jump} away from the last value ({last}), more than 3 × "
    "the average moving range ({limit}). Check it, then confirm it with a reason."
)
# --- Where in a file ------------------------------------------------------------------------
MSG_AT = "Sheet “{sheet}”, row {row}, column {column}: {message}"

#: Values of the indicator's history needed before a value can be called far outside it.
MIN_HISTORY = 3
#: How many average moving ranges away from the last value is "far".
MOVING_RANGE_FACTOR = 3

MAX_DIGITS = 14
DECIMAL_PLACES = 4
_TOO_LARGE = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES)
_PLACES = Decimal(1).scaleb(-DECIMAL_PLACES)


@dataclass(frozen=True, slots=True)
class Location:
    """A cell of an uploaded workbook: sheet name, row number (from 1), column letter."""

    sheet: str
    row: int
    column: str


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: an error (nothing is saved) or a warning (saved once confirmed).

    `key` says what the issue is about (e.g. an indicator's id on the entry screen) and `field`
    which input (number, numerator…), so a form can show the message beside it.
    """

    level: str
    message: str
    key: object = None
    field: str = ""
    location: Location | None = None

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    @property
    def text(self) -> str:
        """The message, prefixed with the sheet, row and column when it is about a file."""
        if self.location is None:
            return self.message
        loc = self.location
        return MSG_AT.format(sheet=loc.sheet, row=loc.row, column=loc.column, message=self.message)

    def at(self, location: Location | None) -> Issue:
        return Issue(self.level, self.message, self.key, self.field, location)

    def __str__(self) -> str:
        return self.text


@lru_cache(maxsize=1024)
def month_label(month: date) -> str:
    """ "April 2021": how messages name a month."""
    return month.strftime("%B %Y")


def to_decimal(value) -> Decimal | None:
    """`Decimal(str(value))`, or None for None or something that is not a finite number."""
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def too_large(number: Decimal) -> bool:
    """Whether a number is too large to store: the database keeps 14 digits, 4 of them after
    the point, so a figure stays below 10,000,000,000."""
    return abs(number) >= _TOO_LARGE


def check_number(
    *,
    indicator: str,
    outturn_type: str,
    number: Decimal,
    month: date | None = None,
    period: str = "",
    key=None,
    field: str = "number",
) -> list[Issue]:
    """The number's range by outturn type: a PERCENTAGE lies in 0–100; a NUMBER (a count) is
    whole and not negative; a RATE is not negative. Any number also fits the database
    (14 digits, 4 of them decimals). The messages name the `month` of a monthly value, or the
    `period` of an annual figure (a target names its financial year: "2021/22")."""
    found = []
    if too_large(number):
        found.append(MSG_TOO_LARGE)
    else:
        if number != number.quantize(_PLACES, rounding=ROUND_HALF_UP):
            found.append(MSG_TOO_PRECISE)
        if outturn_type == PERCENTAGE and not 0 <= number <= 100:
            found.append(MSG_PERCENTAGE_RANGE)
        elif outturn_type == NUMBER:
            if number < 0:
                found.append(MSG_COUNT_NEGATIVE)
            elif number != number.to_integral_value():
                found.append(MSG_COUNT_NOT_WHOLE)
        elif outturn_type == RATE and number < 0:
            found.append(MSG_RATE_NEGATIVE)
    if not found:
        return []
    when = month_label(month) if month is not None else period
    ctx = {"indicator": indicator, "month": when, "value": show(number)}
    return [Issue(ERROR, template.format(**ctx), key, field) for template in found]


def check_month(*, indicator: str, month: date, today: date, key=None) -> list[Issue]:
    """No future months: a value may be entered for the current month or any earlier one,
    never for a month that has not begun."""
    latest = today.replace(day=1)
    if month > latest:
        message = MSG_FUTURE_MONTH.format(
            indicator=indicator, month=month_label(month), latest=month_label(latest)
        )
        return [Issue(ERROR, message, key, "month")]
    return []


def check_number_xor_status(
    *, indicator: str, month: date, number: Decimal | None, status_label: str, key=None
) -> list[Issue]:
    """A figure is a number or a status (TBC, N/A, Local, not reported), never both."""
    if number is not None and status_label:
        message = MSG_NUMBER_AND_STATUS.format(
            indicator=indicator, month=month_label(month), status=status_label
        )
        return [Issue(ERROR, message, key, "status")]
    return []


def fraction_value(*, outturn_type: str, numerator: Decimal, denominator: Decimal) -> Decimal:
    """The figure a numerator and denominator give: a percentage is n / d × 100, a rate
    n / d × 10,000 (per 10,000 of the population)."""
    scale = Decimal(100) if outturn_type == PERCENTAGE else RATE_BASE
    return numerator / denominator * scale


def check_fraction(
    *,
    indicator: str,
    outturn_type: str,
    month: date,
    number: Decimal | None,
    status_label: str,
    numerator: Decimal | None,
    denominator: Decimal | None,
    decimals: int,
    key=None,
) -> tuple[Decimal | None, list[Issue]]:
    """An optional numerator and denominator: both or neither; the denominator above 0 and the
    numerator not negative; only for percentages and rates; not with a status. With no number
    given, the number is computed from them (rounded to the indicator's decimals); with one
    given, it must agree with the computed figure to within half of its last decimal place.

    Returns the number to store (the given or the computed one) and the issues.
    """
    if numerator is None and denominator is None:
        return number, []
    ctx = {"indicator": indicator, "month": month_label(month)}
    if status_label:
        message = MSG_FRACTION_WITH_STATUS.format(**ctx, status=status_label)
        return number, [Issue(ERROR, message, key, "numerator")]
    if outturn_type == NUMBER:
        return number, [Issue(ERROR, MSG_FRACTION_FOR_COUNT.format(**ctx), key, "numerator")]
    if numerator is None or denominator is None:
        return number, [Issue(ERROR, MSG_DENOMINATOR_MISSING.format(**ctx), key, "denominator")]
    issues = []
    if denominator <= 0:
        issues.append(Issue(ERROR, MSG_DENOMINATOR_NOT_POSITIVE.format(**ctx), key, "denominator"))
    if numerator < 0:
        issues.append(Issue(ERROR, MSG_NUMERATOR_NEGATIVE.format(**ctx), key, "numerator"))
    if issues:
        return number, issues
    exact = fraction_value(outturn_type=outturn_type, numerator=numerator, denominator=denominator)
    places = Decimal(1).scaleb(-min(decimals, DECIMAL_PLACES))
    computed = exact.quantize(places, rounding=ROUND_HALF_UP)
    if number is None:
        return computed, []
    given_places = max(0, -number.normalize().as_tuple().exponent)
    tolerance = Decimal(1).scaleb(-given_places) / 2
    if abs(exact - number) > tolerance:
        message = MSG_FRACTION_MISMATCH.format(
            **ctx,
            numerator=show(numerator),
            denominator=show(denominator),
            computed=show(computed),
            value=show(number),
        )
        return number, [Issue(ERROR, message, key, "number")]
    return number, []


def average_moving_range(values: Sequence[float]) -> float | None:
    """The mean of |x[i] − x[i−1]| over consecutive values; None with fewer than two."""
    if len(values) < 2:
        return None
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    return sum(ranges) / len(ranges)


def check_outlier(
    *, indicator: str, month: date, number: Decimal, history: Sequence[float], key=None
) -> list[Issue]:
    """A warning when the value is far outside the indicator's history.

    `history` is the indicator's earlier values in month order (missing months left out; for
    a cumulative year-to-date measure, its monthly increments and the new increment as
    `number`). "Far outside" means either: beyond the history's minimum or maximum, or more
    than 3 × the average moving range away from the last value. The message says which. A
    warning is not an error: the officer confirms it with a reason. No warning with fewer than
    3 earlier values; the jump test needs a history that moved (an average moving range of 0
    would make any change "far").
    """
    if len(history) < MIN_HISTORY:
        return []
    value = float(number)
    low, high = min(history), max(history)
    last = history[-1]
    mr = average_moving_range(history)
    limit = MOVING_RANGE_FACTOR * mr
    jump = abs(value - last)
    beyond_range = not low <= value <= high
    big_jump = bool(mr) and jump > limit
    if not (beyond_range or big_jump):
        return []
    if beyond_range and big_jump:
        template = MSG_OUTSIDE_HISTORY
    else:
        template = MSG_BEYOND_RANGE if beyond_range else MSG_BIG_JUMP
    message = template.format(
        indicator=indicator,
        month=month_label(month),
        value=show(number),
        low=show(round(low, 4)),
        high=show(round(high, 4)),
        jump=show(round(jump, 4)),
        last=show(round(last, 4)),
        limit=show(round(limit, 2)),
    )
    return [Issue(WARNING, message, key, "number")]


def find_duplicates(*, keys: Sequence[tuple[str, date]]) -> list[Issue]:
    """One value per indicator and month: each (indicator, month) given more than once is an
    error, reported once."""
    seen: set[tuple[str, date]] = set()
    reported: set[tuple[str, date]] = set()
    issues = []
    for name, month in keys:
        if (name, month) in seen and (name, month) not in reported:
            reported.add((name, month))
            message = MSG_DUPLICATE.format(indicator=name, month=month_label(month))
            issues.append(Issue(ERROR, message, name, "month"))
        seen.add((name, month))
    return issues


def check_value(
    *,
    indicator: str,
    outturn_type: str,
    month: date,
    today: date,
    number: Decimal | None,
    status_label: str = "",
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    decimals: int = 0,
    history: Sequence[float] = (),
    compare: Decimal | None = None,
    key=None,
) -> tuple[Decimal | None, list[Issue]]:
    """Every rule for one indicator's value in one month, in the order an officer fixes them:
    the month, number xor status, numerator and denominator, the number's range, then the
    history warning (only when there is no error), which compares `compare` (by default the
    number; for a cumulative measure, the month's increment) with `history`. Returns the number
    to store and the issues.
    """
    issues = check_month(indicator=indicator, month=month, today=today, key=key)
    issues += check_number_xor_status(
        indicator=indicator, month=month, number=number, status_label=status_label, key=key
    )
    if issues:
        return number, issues
    number, fraction_issues = check_fraction(
        indicator=indicator,
        outturn_type=outturn_type,
        month=month,
        number=number,
        status_label=status_label,
        numerator=numerator,
        denominator=denominator,
        decimals=decimals,
        key=key,
    )
    issues += fraction_issues
    if number is not None and not issues:
        issues += check_number(
            indicator=indicator, outturn_type=outturn_type, month=month, number=number, key=key
        )
        if not issues:
            issues += check_outlier(
                indicator=indicator,
                month=month,
                number=number if compare is None else compare,
                history=history,
                key=key,
            )
    return number, issues


#: Cells that mean "no figure" in the councils' sheets, as a blank does.
DASHES = frozenset({"-", "–", "—", "--"})


def read_figure(raw):
    """`indicators.cells.parse_cell`, with a dash read as a blank (not reported)."""
    if isinstance(raw, str) and raw.strip() in DASHES:
        raw = None
    return parse_cell(raw)
