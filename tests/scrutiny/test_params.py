"""Numbers in a query string: only ASCII digits, within the bounds the page states."""

import pytest

from core import params


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021", 2021),
        (" 2021 ", 2021),
        ("1900", 1900),
        ("2200", 2200),
        ("02021", 2021),
        ("", None),
        (None, None),
        ("1899", None),
        ("2201", None),
        ("²", None),  # str.isdigit() says yes; int() refuses it
        ("٢٠٢١", None),  # Arabic-Indic digits: int() would take them, the rule does not
        ("２０２１", None),  # full-width digits
        ("9" * 10_000, None),  # int() refuses more than 4,300 digits
        ("0" * 5_000 + "2021", 2021),  # leading zeros, however many, are not converted
        ("-2021", None),
        ("+2021", None),
        ("2021.0", None),
        ("20 21", None),
    ],
)
def test_a_year_is_four_ascii_digits_in_range(raw, expected):
    assert params.parse_year(raw) == expected


def test_bounds_are_inclusive():
    assert params.parse_int("1", minimum=1, maximum=500) == 1
    assert params.parse_int("500", minimum=1, maximum=500) == 500
    assert params.parse_int("0", minimum=1, maximum=500) is None
    assert params.parse_int("501", minimum=1, maximum=500) is None
