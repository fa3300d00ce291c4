"""A figure as text: the one place a value, a target or a benchmark becomes "51%", "1,828",
"<36%", "TBC" or "N/A", whether printed as the council prints it or written as an officer
types it. Framework-free."""

from __future__ import annotations

from decimal import Decimal

from .vocabulary import (
    HAS_NUMBER,
    NOT_REPORTED,
    OUTTURN_TYPES,
    PERCENTAGE,
    STATUS_WORDS,
    TBC,
    OutturnType,
    Target,
    check,
)


def show(value: Decimal | float | int | None) -> str:
    """A number as an officer typed it: no exponent, no trailing zeros."""
    if value is None:
        return "blank"
    number = Decimal(str(value))
    if not number.is_finite():
        return str(value)
    return format(number.normalize(), "f")


def figure_text(
    *,
    number: Decimal | float | None,
    status: str = HAS_NUMBER,
    bound: str = "",
    outturn_type: str | None = None,
    decimals: int | None = None,
    not_reported: str = STATUS_WORDS[NOT_REPORTED],
) -> str:
    """A figure as text.

    A missing figure is the word for why it is missing: "TBC", "N/A", "Local", or
    `not_reported` for a figure not reported ("Not reported"; the council's tables leave it
    blank). A number is printed as the council prints it (`format_value`: "51%", "1,828")
    when `decimals` is given, otherwise written as an officer types it ("1828", "12.5"), with
    a percent sign when `outturn_type` is a percentage. A bound goes in front: "<36%".
    """
    if number is None:
        if status == NOT_REPORTED:
            return not_reported
        return STATUS_WORDS.get(status, status)
    if decimals is not None:
        return bound + format_value(value=number, outturn_type=outturn_type, decimals=decimals)
    return f"{bound}{show(number)}{'%' if outturn_type == PERCENTAGE else ''}"


def format_value(*, value: float | None, outturn_type: OutturnType, decimals: int = 0) -> str:
    """A value as the council prints it: "51%", "896", "1,828", "12.5%" with decimals=1.

    Percentages get a % sign; numbers and rates get thousands separators. Halves round away
    from zero, as in Excel (12.5 -> "13", 2.675 with 2 decimals -> "2.68"), never to "-0".
    A missing value is "" so that callers show why it is missing (TBC, N/A …) themselves.
    """
    if outturn_type not in OUTTURN_TYPES:
        check("outturn type", outturn_type, OUTTURN_TYPES)
    if decimals < 0:
        raise ValueError("decimals must not be negative")
    if value is None:
        return ""
    scale = 10**decimals
    scaled = abs(value) * scale
    # Python's own rounding is half-to-even on the binary value (2.675 -> 2.67); the nudge,
    # far below any printed digit, makes stored decimals round the way people expect.
    units = int(scaled + 0.5 + 1e-11 * (scaled if scaled > 1.0 else 1.0))
    text = f"{units // scale:,}"
    if decimals:
        text += f".{units % scale:0{decimals}d}"
    sign = "-" if value < 0 and units else ""
    return f"{sign}{text}{'%' if outturn_type == 'percentage' else ''}"


def format_target(*, target: Target | None, outturn_type: OutturnType, decimals: int = 0) -> str:
    """A target as the council prints it: its bound then its value ("<36%", "23%"), or
    "TBC" when there is no target value."""
    if target is None or target.value is None:
        return figure_text(number=None, status=TBC)
    return figure_text(
        number=target.value, bound=target.bound, outturn_type=outturn_type, decimals=decimals
    )
