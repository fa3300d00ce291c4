"""Months and financial years (April to March), as the council counts them. Framework-free;
months are `date`s on the first of the month."""

from __future__ import annotations

from datetime import date


def _shift(month: date, count: int) -> date:
    years, month0 = divmod(month.month - 1 + count, 12)
    return date(month.year + years, month0 + 1, 1)


def add_months(*, month: date, count: int) -> date:
    """The first of the month `count` months after `month` (before it when negative)."""
    return _shift(month, count)


def financial_year(*, month: date) -> int:
    """The financial year (April to March) of a month, named by its first year.

    February 2022 is in 2021/22, so it gives 2021; April 2022 gives 2022.
    """
    return month.year if month.month >= 4 else month.year - 1


def financial_year_label(*, year: int) -> str:
    """The council's name of a financial year: 2021 -> "2021/22", 1999 -> "1999/00"."""
    return f"{year}/{(year + 1) % 100:02d}"


def months_elapsed(*, month: date) -> int:
    """How many months of its financial year have passed by the end of `month`.

    April is 1, May 2 … February 11, March 12.
    """
    return (month.month - 4) % 12 + 1


def financial_year_months(*, year: int) -> list[date]:
    """The twelve months of financial year `year`, April `year` to March `year + 1`."""
    return [_shift(date(year, 4, 1), k) for k in range(12)]


def previous_month(*, month: date) -> date:
    """The month before `month` (January's is December of the previous year)."""
    return _shift(month, -1)


def same_month_previous_year(*, month: date) -> date:
    """The same calendar month one year earlier (February 2022 -> February 2021)."""
    return _shift(month, -12)
