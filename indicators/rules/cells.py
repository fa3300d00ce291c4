"""One cell of a performance table read as a figure, free of Django.

The council's tables (the agenda pack's appendix, the monthly spreadsheet) mix numbers with words
that stand for a missing figure. A missing figure is data and never a zero: `parse_cell` keeps
the reason it is missing, and keeps a bound such as the "<" of a target written `<36%`.

Rules:

- A number may carry a percent sign (`21%`), thousands separators (`15,657`), a sign and a
  decimal point; the percent sign is dropped (`21%` is 21, the same as a bare `95` in a
  percentage row). The number is an exact `Decimal`.
- A bound in front of a number (`<`, `<=`, `>=`, `>`, or `≤`, `≥`) is kept as text.
- `TBC` (not yet available) -> status "tbc"; `N/A` or `NA` -> "na"; `Local` (a local measure
  with no national benchmark) -> "local"; a blank cell -> "not_reported". Case, spacing and a
  final full stop do not matter.
- Anything else is not a figure and raises `ValueError`: an unreadable cell is reported, never
  guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .figures import figure_text
from .vocabulary import HAS_NUMBER, LOCAL, NA, NOT_REPORTED, TBC, Bound, Status

_WORDS: dict[str, Status] = {
    "tbc": TBC,
    "tba": TBC,
    "n/a": NA,
    "na": NA,
    "local": LOCAL,
}
_BOUNDS: dict[str, Bound] = {"<": "<", "<=": "<=", "≤": "<=", ">=": ">=", "≥": ">=", ">": ">"}
_NUMBER = re.compile(
    r"^(?P<bound><=|>=|≤|≥|<|>)?\s*(?P<number>[+\-\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|"
    r"[+\-\u2212]?\.\d+)\s*(?P<percent>%)?$"
)

ERROR_NOT_A_FIGURE = "“{text}” is not a number, a bound such as <36%, TBC, N/A, Local or blank."


@dataclass(frozen=True)
class ParsedCell:
    """A figure: a number with no status, or no number and the status that says why."""

    number: Decimal | None
    status: Status = HAS_NUMBER
    bound: Bound = ""

    def __post_init__(self) -> None:
        if (self.number is None) == (self.status == HAS_NUMBER):
            raise ValueError("A cell holds a number with no status, or a status and no number.")
        if self.bound and self.number is None:
            raise ValueError("Only a number can carry a bound.")

    @property
    def is_missing(self) -> bool:
        return self.number is None

    @property
    def text(self) -> str:
        """The cell as an officer types it: "<36", "95", "TBC" (see `figure_text`)."""
        return figure_text(number=self.number, status=self.status, bound=self.bound)

    def same_figure(self, other: ParsedCell) -> bool:
        """Whether two cells say the same thing (`95` and `95%` do; `TBC` and `97%` do not)."""
        return (self.number, self.status, self.bound) == (other.number, other.status, other.bound)


def parse_cell(text: str | int | float | Decimal | None) -> ParsedCell:
    """Read one table cell (see the module's rules). Numbers from a spreadsheet are accepted as
    they are; `None` is a blank cell."""
    if isinstance(text, bool):
        raise ValueError(ERROR_NOT_A_FIGURE.format(text=text))
    if text is None:
        return ParsedCell(number=None, status=NOT_REPORTED)
    if isinstance(text, Decimal):
        return ParsedCell(number=text)
    if isinstance(text, int):
        return ParsedCell(number=Decimal(text))
    if isinstance(text, float):
        return ParsedCell(number=Decimal(repr(text)))
    cleaned = " ".join(str(text).split())
    if not cleaned:
        return ParsedCell(number=None, status=NOT_REPORTED)
    word = cleaned.casefold().rstrip(".").replace(" ", "")
    if word in _WORDS:
        return ParsedCell(number=None, status=_WORDS[word])
    match = _NUMBER.match(cleaned)
    if not match:
        raise ValueError(ERROR_NOT_A_FIGURE.format(text=cleaned))
    digits = match.group("number").replace(",", "").replace("\u2212", "-")
    try:
        number = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(ERROR_NOT_A_FIGURE.format(text=cleaned)) from exc
    bound = _BOUNDS[match.group("bound")] if match.group("bound") else ""
    return ParsedCell(number=number, bound=bound)
