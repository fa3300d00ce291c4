"""The geometry of an inline SVG sparkline. Framework-free."""

from __future__ import annotations

from collections.abc import Sequence


def sparkline_points(*, values: Sequence[float | None], width: float, height: float) -> list[str]:
    """Polyline segments for an inline SVG sparkline of `values`, left to right.

    The points are spread evenly across `width` (one point sits in the middle); the lowest
    value is drawn at the bottom (y = height) and the highest at the top (y = 0), a flat
    series at mid-height. A missing value breaks the line, so the result is a list of
    "x,y x,y …" strings, one per unbroken segment (a lone point is a one-point segment the
    caller may draw as a dot); [] when nothing is present. Strokes on the edge are half
    outside the box, so give the SVG a viewBox with a little margin.
    """
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    present = [v for v in values if v is not None]
    if not present:
        return []
    low, high = min(present), max(present)
    span = high - low
    count = len(values)
    step = width / (count - 1) if count > 1 else 0.0
    start = 0.0 if count > 1 else width / 2

    def num(x: float) -> str:
        return f"{x:.2f}".rstrip("0").rstrip(".")

    segments: list[str] = []
    current: list[str] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(" ".join(current))
                current = []
            continue
        y = height / 2 if span == 0 else height - (v - low) / span * height
        current.append(f"{num(start + i * step)},{num(y)}")
    if current:
        segments.append(" ".join(current))
    return segments
