"""What `bench.run` and `bench.faults` write: sections of Markdown tables, with a verdict per
goal, and a figure that could not be taken reported as "not available", never a crash.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

NOT_AVAILABLE = "not available"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Results --------------------------------------------------------------------------------


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        lines.append("| " + " | ".join(self.headers) + " |")
        lines.append("|" + "|".join("---" for _ in self.headers) + "|")
        for row in self.rows:
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
        for note in self.notes:
            lines.append("")
            lines.append(note)
        return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    if ok is None:
        return NOT_AVAILABLE
    return "PASS" if ok else "MISS"


def unavailable(error: BaseException | str) -> str:
    if isinstance(error, BaseException):
        text = f"{type(error).__name__}: {error}".splitlines()[0]
    else:
        text = error
    return f"{NOT_AVAILABLE} ({text[:160]})"


def render(title_rows: list[tuple[str, str]], sections: list[Section], total: float) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench.run`); the goals are those of issue 7. "
        f"The whole run took {total:.0f} s.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {key} | {value} |" for key, value in title_rows]
    lines += ["", "## Summary", ""]
    tally = {"PASS": 0, "MISS": 0, NOT_AVAILABLE: 0}
    for section in sections:
        for row in section.rows:
            for word in tally:
                if any(word in cell for cell in row[1:]):
                    tally[word] += 1
                    if word != "PASS":
                        lines.append(f"- {word}: {section.title} – {row[0]}")
    lines += ["", "Rows: " + ", ".join(f"{n} {word}" for word, n in tally.items()) + "."]
    for section in sections:
        lines += ["", section.markdown()]
    return "\n".join(lines) + "\n"
