"""How the bench states and takes a time: milliseconds, seconds, the 95th percentile, and
`timed`, which calls a function `repeat` times and keeps every duration.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def seconds_text(seconds: float) -> str:
    return f"{seconds:.2f} s"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(function: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result
