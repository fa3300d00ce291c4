"""Comparing a value with a comparator's annual figure (England, statistical neighbours …).
Framework-free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .change import same
from .rag import better_way
from .vocabulary import Bound, Polarity


@dataclass(frozen=True, slots=True)
class Benchmark:
    """An annual figure of a comparator (England, statistical neighbours, the council's own
    previous outturn …) for financial year `year`; `value` None when N/A or not published."""

    comparator: str
    year: int
    value: float | None


class BenchmarkComparison(NamedTuple):
    comparator: str
    year: int
    value: float | None
    position: str | None  # "better", "worse", "same" or None


def benchmark_position(
    *, value: float | None, benchmark: float | None, polarity: Polarity, bound: Bound = ""
) -> str | None:
    """Whether a value is "better", "worse" or the "same" as a benchmark.

    Better is judged by the target's bound when there is one ("<" or "<=": lower is
    better), otherwise by the polarity. None when either figure is missing or neither says
    which way is better.
    """
    better = better_way(polarity, bound)
    if value is None or benchmark is None or better is None:
        return None
    if same(value, benchmark):
        return "same"
    return "better" if (value > benchmark) == (better == "higher") else "worse"
