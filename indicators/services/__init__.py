"""Writes to the monthly dataset: entry, approval, publication, revision, targets, import.

Every service is keyword-only and atomic, checks permissions first (raising PermissionDenied
with a message from `indicators.permissions`), validates every row before the first write (the
rules are in `indicators.rules.validation`), calls `full_clean()` on what it saves and records the
user in the model's history.

The states of a value: a value starts **provisional**; a performance manager **approves** it;
publishing a month for a panel makes its approved values **published** (visible to the public
and panel members, who never see the others). Changing a provisional or approved value on the
entry screen makes it provisional again (it needs approving again). A published value changes
only through `revise_value`, which keeps a `ValueRevision` (who, when, old → new, why) and
sets `Value.revised`.

One module per kind of write: `entry` (monthly entry, approval), `publishing` (publication,
revision), `targets`, `import_plan` (a file matched against the dataset, nothing written),
`imports` (a plan written), `bulk` (the import's SQL), `spc`; `checks` is the check of an
incoming figure, `common` what they share. The names callers use are re-exported here.
"""

from core.concurrency import NEW_ENTRY
from core.stale_saves import last_change

from ..rules.concurrency import commentary_token, entry_token, row_token
from .checks import check_figure, history_for_check, series_by_indicator
from .common import (
    MSG_CHANGED_MEANWHILE,
    MSG_CLEARED,
    MSG_CONFIRM_WARNINGS,
    MSG_NOT_PUBLISHED,
    MSG_NOTHING_TO_PUBLISH,
    MSG_PUBLISH_CHECK_STALE,
    MSG_PUBLISHED_NEEDS_REVISION,
    MSG_REASON_REQUIRED,
    MSG_REVISION_UNCHANGED,
    MSG_SAVED_AT_THE_SAME_MOMENT,
    NeedsConfirmation,
    Rejected,
    first_of_month,
)
from .entry import (
    CommentaryInput,
    EntryRow,
    SaveResult,
    approve_values,
    area_indicators,
    save_month,
    save_value,
)
from .imports import ImportResult, apply_import, import_workbook
from .publishing import PublishResult, publish_month, revise_value
from .spc import MSG_SPC_REASON_REQUIRED, delete_spc_break, save_spc_break
from .targets import Figure, TargetRow, TargetsResult, save_targets

__all__ = [
    "MSG_CHANGED_MEANWHILE",
    "MSG_CLEARED",
    "MSG_CONFIRM_WARNINGS",
    "MSG_NOTHING_TO_PUBLISH",
    "MSG_NOT_PUBLISHED",
    "MSG_PUBLISHED_NEEDS_REVISION",
    "MSG_PUBLISH_CHECK_STALE",
    "MSG_REASON_REQUIRED",
    "MSG_REVISION_UNCHANGED",
    "MSG_SAVED_AT_THE_SAME_MOMENT",
    "MSG_SPC_REASON_REQUIRED",
    "NEW_ENTRY",
    "CommentaryInput",
    "EntryRow",
    "Figure",
    "ImportResult",
    "NeedsConfirmation",
    "PublishResult",
    "Rejected",
    "SaveResult",
    "TargetRow",
    "TargetsResult",
    "apply_import",
    "approve_values",
    "area_indicators",
    "commentary_token",
    "delete_spc_break",
    "entry_token",
    "first_of_month",
    "check_figure",
    "history_for_check",
    "import_workbook",
    "last_change",
    "publish_month",
    "revise_value",
    "row_token",
    "save_month",
    "save_spc_break",
    "save_targets",
    "save_value",
    "series_by_indicator",
]
