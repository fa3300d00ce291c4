"""Parts of a page that an app higher up fills in.

A lower app cannot import a higher one, yet some of its pages show the higher app's records:
the meeting page lists the recommendations arising and the panel's questions (both owned by
the tracker, which stands on meetings), and the indicator page does the same. The lower app
declares the parts its page has and what each shows when no app fills it; the app that owns
the records fills them when Django is ready (its AppConfig.ready), and the page asks for each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Part = Callable[..., Any]

MSG_UNKNOWN_PART = "{page} has no part called {name!r}: declare it where the page is defined."
MSG_FILLED_TWICE = "{page}: the part {name!r} is already filled by {other}."


class PageParts:
    """The named parts of one page, each with its value when nothing fills it."""

    def __init__(self, page: str, *, unfilled: Mapping[str, Any]) -> None:
        self.page = page
        self._unfilled = dict(unfilled)
        self._filled: dict[str, Part] = {}

    def fill(self, name: str) -> Callable[[Part], Part]:
        """Decorator: `part` (called with the page's keyword arguments) gives this part."""
        if name not in self._unfilled:
            raise LookupError(MSG_UNKNOWN_PART.format(page=self.page, name=name))

        def register(part: Part) -> Part:
            other = self._filled.get(name)
            if other is not None and other is not part:
                raise LookupError(
                    MSG_FILLED_TWICE.format(page=self.page, name=name, other=other.__qualname__)
                )
            self._filled[name] = part
            return part

        return register

    def get(self, name: str, /, **page: Any) -> Any:
        """The part's value for this page (the unfilled value if no app fills it)."""
        if name not in self._unfilled:
            raise LookupError(MSG_UNKNOWN_PART.format(page=self.page, name=name))
        part = self._filled.get(name)
        return self._unfilled[name] if part is None else part(**page)

    def context(self, **page: Any) -> dict[str, Any]:
        """Every part, by name, for a template's context."""
        return {name: self.get(name, **page) for name in self._unfilled}
