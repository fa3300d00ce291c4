"""indicators.rules.cells: a table cell read as a number, a bound, or the reason it is missing."""

from decimal import Decimal

import pytest

from indicators.rules.cells import ParsedCell, parse_cell


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("21%", Decimal("21")),
        ("95", Decimal("95")),
        ("0%", Decimal("0")),
        ("15657", Decimal("15657")),
        ("15,657", Decimal("15657")),
        ("36.5%", Decimal("36.5")),
        (" 43 ", Decimal("43")),
        ("-3", Decimal("-3")),
        ("\u22123", Decimal("-3")),
        ("12 %", Decimal("12")),
    ],
)
def test_numbers_are_exact_decimals_without_their_percent_sign(text, number):
    cell = parse_cell(text)
    assert cell == ParsedCell(number=number, status="", bound="")
    assert isinstance(cell.number, Decimal)


def test_a_zero_is_a_number_not_a_missing_value():
    cell = parse_cell("0%")
    assert cell.number == 0
    assert not cell.is_missing


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("TBC", "tbc"),
        ("tbc", "tbc"),
        ("TBC.", "tbc"),
        ("N/A", "na"),
        ("n/a", "na"),
        ("NA", "na"),
        ("N / A", "na"),
        ("Local", "local"),
        ("", "not_reported"),
        ("   ", "not_reported"),
        (None, "not_reported"),
    ],
)
def test_words_and_blanks_are_missing_values_with_their_reason(text, status):
    cell = parse_cell(text)
    assert cell.number is None
    assert cell.status == status
    assert cell.bound == ""
    assert cell.is_missing


@pytest.mark.parametrize(
    ("text", "bound", "number"),
    [
        ("<36%", "<", Decimal("36")),
        ("< 36%", "<", Decimal("36")),
        ("<=36", "<=", Decimal("36")),
        ("≤36", "<=", Decimal("36")),
        (">=90%", ">=", Decimal("90")),
        ("≥90%", ">=", Decimal("90")),
        (">5", ">", Decimal("5")),
    ],
)
def test_a_bound_is_kept_with_its_number(text, bound, number):
    assert parse_cell(text) == ParsedCell(number=number, status="", bound=bound)


@pytest.mark.parametrize("text", ["abc", "21%%", "<", "1.2.3", "TBC 5", "<TBC", "5-6"])
def test_anything_else_is_refused_not_guessed(text):
    with pytest.raises(ValueError, match="is not a number"):
        parse_cell(text)


def test_spreadsheet_numbers_are_taken_as_they_are():
    assert parse_cell(51) == ParsedCell(number=Decimal("51"))
    assert parse_cell(0.36) == ParsedCell(number=Decimal("0.36"))
    assert parse_cell(Decimal("1.5")) == ParsedCell(number=Decimal("1.5"))
    with pytest.raises(ValueError):
        parse_cell(True)


def test_a_parsed_cell_cannot_be_both_or_neither():
    with pytest.raises(ValueError):
        ParsedCell(number=Decimal("1"), status="tbc")
    with pytest.raises(ValueError):
        ParsedCell(number=None, status="")
    with pytest.raises(ValueError):
        ParsedCell(number=None, status="tbc", bound="<")


def test_cells_that_read_the_same_figure_agree():
    assert parse_cell("95").same_figure(parse_cell("95%"))
    assert not parse_cell("TBC").same_figure(parse_cell("97%"))
    assert not parse_cell("36%").same_figure(parse_cell("<36%"))
