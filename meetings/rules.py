"""Calendar rules of a council's committee cycle, free of Django so they can be unit-tested alone."""

from datetime import date

#: The annual council meeting in May opens a new municipal year.
MUNICIPAL_YEAR_START_MONTH = 5


def municipal_year(*, on: date) -> int:
    """The municipal year a date belongs to, named by the calendar year it starts in.

    Rule: the municipal year runs from May to the following April, so 17 June 2021 and
    31 March 2022 both fall in the municipal year 2021 ("2021/22").
    """
    return on.year if on.month >= MUNICIPAL_YEAR_START_MONTH else on.year - 1


def municipal_year_label(*, year: int) -> str:
    """Label a municipal year the way council papers do: 2021 -> "2021/22"."""
    return f"{year}/{(year + 1) % 100:02d}"


def municipal_year_bounds(*, year: int) -> tuple[date, date]:
    """First day of the municipal year and first day of the next one (half-open range)."""
    return date(year, MUNICIPAL_YEAR_START_MONTH, 1), date(year + 1, MUNICIPAL_YEAR_START_MONTH, 1)
