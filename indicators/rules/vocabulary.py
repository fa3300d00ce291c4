"""The words of the council's performance dataset, each defined once: the outturn types,
measure types, polarities, target bounds and the statuses that say why a figure is missing.
The models build their choices from these; the rules check what they are given against them.
Framework-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OutturnType = Literal["number", "percentage", "rate"]
MeasureType = Literal["snapshot", "in_month", "cumulative_ytd", "rolling_12m"]
Polarity = Literal["higher", "lower", "none"]
Bound = Literal["", "<", "<=", ">=", ">"]
#: Why a figure is missing ("" when it is a number).
Status = Literal["", "tbc", "na", "local", "not_reported"]

# Outturn types: what a figure counts.
NUMBER: OutturnType = "number"
PERCENTAGE: OutturnType = "percentage"
RATE: OutturnType = "rate"  # per 10,000 of the under-18 population
OUTTURN_TYPES: tuple[str, ...] = (NUMBER, PERCENTAGE, RATE)

# Measure types: what a month's figure covers.
SNAPSHOT: MeasureType = "snapshot"
IN_MONTH: MeasureType = "in_month"
CUMULATIVE_YTD: MeasureType = "cumulative_ytd"
ROLLING_12M: MeasureType = "rolling_12m"
MEASURE_TYPES: tuple[str, ...] = (SNAPSHOT, IN_MONTH, CUMULATIVE_YTD, ROLLING_12M)

# Polarities: which way is better.
HIGHER: Polarity = "higher"
LOWER: Polarity = "lower"
NO_POLARITY: Polarity = "none"
POLARITIES: tuple[str, ...] = (HIGHER, LOWER, NO_POLARITY)

# Target bounds: "" means the polarity decides what meeting the target is.
BY_POLARITY: Bound = ""
LT: Bound = "<"
LE: Bound = "<="
GE: Bound = ">="
GT: Bound = ">"
BOUNDS: tuple[str, ...] = (BY_POLARITY, LT, LE, GE, GT)

# Missing-value statuses: a missing figure is data, never a zero, and says why it is missing.
HAS_NUMBER: Status = ""
TBC: Status = "tbc"  # not yet available
NA: Status = "na"  # not applicable
LOCAL: Status = "local"  # a local measure with no national benchmark
NOT_REPORTED: Status = "not_reported"
MISSING_STATUSES: tuple[str, ...] = (TBC, NA, LOCAL, NOT_REPORTED)
#: The word the council writes for each missing-value status.
STATUS_WORDS: dict[str, str] = {TBC: "TBC", NA: "N/A", LOCAL: "Local", NOT_REPORTED: "Not reported"}


def check(kind: str, value: str, allowed: tuple[str, ...]) -> None:
    # A misspelt polarity would otherwise silently mean "no polarity" and hide every rating.
    if value not in allowed:
        raise ValueError(f"unknown {kind} {value!r}; expected one of {allowed}")


def check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        check("polarity", polarity, POLARITIES)


@dataclass(frozen=True, slots=True)
class Target:
    """A target for a financial year.

    `value` None means the target is TBC. `bound` "" means the polarity decides what meeting
    it is (at or above for higher-is-better, at or below for lower-is-better); otherwise the
    bound does, whatever the polarity: a target of "<36%" is `Target(36.0, "<")`.
    """

    value: float | None
    bound: Bound = ""

    def __post_init__(self) -> None:
        check("target bound", self.bound, BOUNDS)
