"""The rule for saving figures from a screen drawn earlier, without a database."""

from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from core.concurrency import NEW_ENTRY, Outcome, outcome
from indicators.rules.concurrency import commentary_token, entry_token, targets_token

A, B, C = "token-a", "token-b", "token-c"


@pytest.mark.parametrize(
    ("seen", "stored", "sent", "expected"),
    [
        (None, A, B, Outcome.SAVE),  # no token sent: nothing to compare
        (A, A, B, Outcome.SAVE),  # no one else saved it
        (A, B, A, Outcome.KEEP_THEIRS),  # someone else saved it; left as it was here
        (A, B, C, Outcome.CONFLICT),  # both changed it
        (A, NEW_ENTRY, C, Outcome.SAVE),  # removed meanwhile: saving again loses nothing
        (NEW_ENTRY, A, NEW_ENTRY, Outcome.KEEP_THEIRS),  # entered meanwhile; blank here
        (NEW_ENTRY, A, C, Outcome.CONFLICT),  # both entered it
    ],
)
def test_the_rule(seen, stored, sent, expected):
    assert outcome(seen=seen, stored=stored, sent=sent) is expected


@dataclass
class Figure:
    number: D | None
    status: str = ""
    bound: str = ""
    numerator: D | None = None
    denominator: D | None = None


def test_tokens_ignore_trailing_zeros_and_see_every_part():
    assert entry_token(Figure(D("21"))) == entry_token(Figure(D("21.0000")))
    assert entry_token(Figure(D("21"))) != entry_token(Figure(D("21"), numerator=D("21")))
    assert entry_token(None) == NEW_ENTRY


def test_a_targets_row_token_covers_the_bound_and_each_benchmark():
    plain = targets_token(target=Figure(D("36")), benchmarks={1: Figure(D("40")), 2: None})
    assert plain == targets_token(target=Figure(D("36.0")), benchmarks={1: Figure(D("40"))})
    assert plain != targets_token(target=Figure(D("36"), bound="<"), benchmarks={1: Figure(D(40))})
    assert plain != targets_token(target=Figure(D("36")), benchmarks={2: Figure(D("40"))})
    assert targets_token(target=None, benchmarks={1: None}) == NEW_ENTRY


@dataclass
class Text:
    analysis: str
    actions: str = ""


def test_commentary_tokens_read_crlf_as_lf_and_blank_as_none():
    assert commentary_token(Text("a\r\nb\r\n")) == commentary_token(Text("a\nb"))
    assert commentary_token(Text("  ")) == commentary_token(None) == NEW_ENTRY
