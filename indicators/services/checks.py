"""The check of an incoming figure against the indicator's history, the same for entry,
import and the admin."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from ..models import Indicator, Value
from ..rules import validation
from ..rules.change import monthly_increments
from ..rules.validation import Issue
from .common import status_label


def history_for_check(
    *, measure_type: str, series: dict[date, Any], month: date, number: Decimal
) -> tuple[list[float], Decimal]:
    """The earlier values and the new value that `validation.check_outlier` compares: the raw
    series, or for a cumulative year-to-date measure its monthly increments. `series` holds
    numbers (Decimal or float) or None, by month."""
    if measure_type != Indicator.MeasureType.CUMULATIVE_YTD:
        return [float(v) for m, v in sorted(series.items()) if m < month and v is not None], number
    earlier = {m: (float(v) if v is not None else None) for m, v in series.items() if m < month}
    increments = monthly_increments(series={**earlier, month: float(number)})
    new = increments.pop(month)
    history = [v for _, v in sorted(increments.items()) if v is not None]
    if new is None:
        return [], number
    return history, validation.to_decimal(round(new, 4)) or number


def check_figure(
    *,
    indicator: str,
    outturn_type: str,
    measure_type: str,
    month: date,
    today: date,
    number: Decimal | None,
    status: str = "",
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    decimals: int = 0,
    series: dict[date, Any],
    key=None,
) -> tuple[Decimal | None, list[Issue]]:
    """Every rule for an incoming figure of one indicator's month, the same whether it is typed
    on the entry screen, read from a workbook or saved in the admin: the validation rules, and
    a figure far outside the indicator's earlier months (`series`, by month) is a warning the
    user confirms. Returns the number to store and the issues."""
    history: list[float] = []
    compare = number
    if number is not None:
        history, compare = history_for_check(
            measure_type=measure_type, series=series, month=month, number=number
        )
    return validation.check_value(
        indicator=indicator,
        outturn_type=outturn_type,
        month=month,
        today=today,
        number=number,
        status_label=status_label(status),
        numerator=numerator,
        denominator=denominator,
        decimals=decimals,
        history=history,
        compare=compare,
        key=key,
    )


def series_by_indicator(indicator_ids: Iterable[int]) -> dict[int, dict[date, Decimal | None]]:
    series: dict[int, dict[date, Decimal | None]] = defaultdict(dict)
    for indicator_id, month, number in Value.objects.filter(
        indicator_id__in=list(indicator_ids)
    ).values_list("indicator_id", "month", "number"):
        series[indicator_id][month] = number
    return series
