"""A figure as text, as the council prints it: the one place a value or a target becomes
"51%", "1,828", "<36%" or "TBC". Framework-free."""

from __future__ import annotations

from .vocabulary import OUTTURN_TYPES, OutturnType, Target, check


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
        return "TBC"
    return target.bound + format_value(
        value=target.value, outturn_type=outturn_type, decimals=decimals
    )
