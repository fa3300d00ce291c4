"""How complete a month will be once it is published: the rule behind the publishing check
(the admin's check-your-answers screen and `import_dataset --publish`). Framework-free: it
takes the indicators' names and what each will have, so the screen and the command, which
learn it differently (the month's values; an import plan), say the same thing.

The council's rule: an indicator has a value for the month when a value of that month (a
figure or a status such as TBC) is public once the month is published. Every other active
indicator of the panel is listed by name, so the performance manager sees before publishing
which tiles will still show an earlier month, and why (a value entered but not approved is
not published).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MSG_INCOMPLETE = "{missing} of {total} indicators have no {month} value:"
MSG_COMPLETE = "All {total} indicators have a {month} value."
MSG_NO_INDICATORS = "The panel has no active indicators."
#: Why an indicator without a value to publish has none, by the state of its month's value.
WHY = {
    "provisional": "entered, not approved",
    "approved": "approved, not published",
    None: "not entered",
}


@dataclass(frozen=True, slots=True)
class MissingIndicator:
    name: str
    why: str

    @property
    def line(self) -> str:
        """ "M2-NI Re-referrals (entered, not approved)"."""
        return f"{self.name} ({self.why})"


@dataclass(frozen=True, slots=True)
class Completeness:
    """A month's completeness once published: how many active indicators, which lack a value."""

    month_label: str
    total: int
    missing: tuple[MissingIndicator, ...]

    @property
    def is_complete(self) -> bool:
        return not self.missing

    @property
    def summary(self) -> str:
        """ "25 of 29 indicators have no March 2022 value:" (the list follows), or that all
        have one."""
        if not self.total:
            return MSG_NO_INDICATORS
        if self.is_complete:
            return MSG_COMPLETE.format(total=self.total, month=self.month_label)
        return MSG_INCOMPLETE.format(
            missing=len(self.missing), total=self.total, month=self.month_label
        )

    def lines(self) -> list[str]:
        """The summary, then one line per indicator without a value (as the command prints)."""
        return [self.summary, *(f"- {item.line}" for item in self.missing)]


def completeness(
    *, month_label: str, indicators: Iterable[tuple[str, bool, str | None]]
) -> Completeness:
    """The month's completeness from each active indicator, in dataset order, as
    (name, whether it has a value once published, the state of its value of the month:
    "provisional", "approved", "published" or None)."""
    total = 0
    missing = []
    for name, has_value, state in indicators:
        total += 1
        if not has_value:
            missing.append(MissingIndicator(name, WHY.get(state, WHY[None])))
    return Completeness(month_label=month_label, total=total, missing=tuple(missing))
