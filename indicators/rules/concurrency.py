"""The monthly entry and targets screens' tokens: what a row showed, and what it sends back.
Framework-free: tokens are computed from any objects with the named attributes (models, form
rows, dataclasses). The rule that decides a save from them is `outcome` in the shared
concurrency module, the same for every page where two people may save the same record.
"""

from __future__ import annotations

from typing import Any

from core.concurrency import NEW_ENTRY, digest, lines


def entry_token(value: Any | None) -> str:
    """A monthly value's token: its figure, status and fraction (a stored value or a row as
    sent: anything with `number`, `status`, `numerator` and `denominator`)."""
    if value is None:
        return NEW_ENTRY
    return digest((value.number, value.status, value.numerator, value.denominator))


def row_token(row: Any) -> str:
    """`entry_token` of what an entry-screen row sends; a blank row is `NEW_ENTRY`."""
    return NEW_ENTRY if row.is_blank else entry_token(row)


def commentary_token(commentary: Any | None) -> str:
    """An area's commentary's token: of its text (`analysis`, `actions`), stored or as sent
    back; blank text is `NEW_ENTRY`, as no commentary is."""
    if commentary is None or not (commentary.analysis.strip() or commentary.actions.strip()):
        return NEW_ENTRY
    return digest((lines(commentary.analysis), lines(commentary.actions)))


def targets_token(*, target: Any | None, benchmarks: dict[int, Any]) -> str:
    """A targets-screen row's token: its target (`number`, `status`, `bound`) and each
    comparator's benchmark (`number`, `status`), stored or as sent back."""
    parts: list[object] = []
    if target is not None:
        parts += ["target", target.number, target.status, getattr(target, "bound", "") or ""]
    for comparator_id, figure in sorted(benchmarks.items()):
        if figure is not None:
            parts += [comparator_id, figure.number, figure.status]
    return digest(tuple(parts)) if parts else NEW_ENTRY


def publication_token(values: Any) -> str:
    """The token of what a publishing check showed: the values it would release (anything
    with `pk` and a figure), each with its figure. Publishing from an older check, after a
    value was approved, changed or withdrawn meanwhile, is refused: the manager confirms what
    becomes public, not what happens to be approved when the button is pressed."""
    parts = sorted((value.pk, entry_token(value)) for value in values)
    return digest(tuple(f"{pk}:{token}" for pk, token in parts)) if parts else NEW_ENTRY
