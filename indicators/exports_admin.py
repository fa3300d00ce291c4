"""The admin's export of a selection of indicators (xlsx or csv): what the user may see of
them, gathered in four queries and laid out by `indicators.workbook.writer`, which says the
layout.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.http import HttpResponse
from django.utils import timezone

from . import permissions
from .models import BenchmarkValue, Comparator, Target
from .rules.calendar import financial_year
from .workbook import writer

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


class _Data:
    """Everything the export needs, in four queries."""

    def __init__(self, *, queryset, user):
        self.indicators = list(
            queryset.select_related("priority_area").order_by(
                "priority_area__order", "priority_area__name", "order", "name"
            )
        )
        ids = [i.pk for i in self.indicators]
        self.values: dict[int, dict[date, object]] = defaultdict(dict)
        for value in permissions.visible_values(user).filter(indicator_id__in=ids):
            self.values[value.indicator_id][value.month] = value
        self.targets = {
            (t.indicator_id, t.year): t for t in Target.objects.filter(indicator_id__in=ids)
        }
        self.benchmarks: dict[int, dict[tuple[int, int], object]] = defaultdict(dict)
        self.comparators: dict[int, Comparator] = {}
        for bench in BenchmarkValue.objects.filter(indicator_id__in=ids).select_related(
            "comparator"
        ):
            self.benchmarks[bench.indicator_id][(bench.comparator_id, bench.year)] = bench
            self.comparators[bench.comparator_id] = bench.comparator

    def years(self) -> list[int]:
        years = {financial_year(month=m) for v in self.values.values() for m in v}
        years |= {year for (_, year) in self.targets}
        return sorted(years) or [financial_year(month=timezone.localdate())]

    def months(self, year: int) -> list[date]:
        found = {m for v in self.values.values() for m in v if financial_year(month=m) == year}
        return sorted(found)

    def comparator_columns(self, year: int) -> list[tuple[Comparator, int]]:
        """Comparator and year pairs shown on the sheet of `year`: every benchmark up to that
        year."""
        pairs = {key for benches in self.benchmarks.values() for key in benches if key[1] <= year}
        return sorted(
            ((self.comparators[cid], y) for cid, y in pairs),
            key=lambda pair: (pair[0].order, pair[0].name, pair[1]),
        )


def export_response(*, queryset, user, file_format: str) -> HttpResponse:
    """The admin action's download."""
    stamp = timezone.localdate().isoformat()
    data = _Data(queryset=queryset, user=user)
    if file_format == "csv":
        content, content_type = writer.indicators_csv(data=data), CSV_CONTENT_TYPE
    else:
        content, content_type = (
            writer.indicators_xlsx(data=data, today=timezone.localdate()),
            XLSX_CONTENT_TYPE,
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="indicators-{stamp}.{file_format}"'
    return response
