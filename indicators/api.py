"""The dataset as JSON: the indicator list and one indicator with its published figures and
statistics. Read-only and public, so published figures only (through `selectors`).
Percentages are in percent units (51 means 51%); months are "YYYY-MM"."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from . import asof, catalogue, selectors
from .models import Indicator
from .rules.calendar import financial_year_label

ERROR_UNKNOWN_PANEL = "No panel has the slug “{slug}”."


def _summary(indicator: Indicator) -> dict[str, object]:
    return {
        "id": indicator.pk,
        "ref": indicator.ref,
        "name": indicator.name,
        "panel": indicator.panel.slug,
        "priority_area": indicator.priority_area.name if indicator.priority_area else None,
        "outturn_type": indicator.outturn_type,
        "url": indicator.get_absolute_url(),
    }


@require_GET
def indicator_list(request):
    """Active indicators in dataset order; ?panel=<slug>, ?ref=<exact ref>, ?q=<name search>."""
    slug = request.GET.get("panel", "").strip()
    panel = None
    if slug:
        panel = selectors.panels_with_latest_month().filter(slug=slug).first()
        if panel is None:
            return JsonResponse({"error": ERROR_UNKNOWN_PANEL.format(slug=slug)}, status=400)
    indicators = catalogue.catalogue(
        panel=panel, ref=request.GET.get("ref", ""), search=request.GET.get("q", "")
    )
    items = [_summary(indicator) for indicator in indicators]
    return JsonResponse({"count": len(items), "results": items})


def _figure(figure: selectors.Figure) -> dict[str, object]:
    return {"value": figure.number, "status": figure.status}


@require_GET
def indicator_detail(request, pk):
    """One indicator: its facts, published `values`, `targets`, `benchmarks`, and the
    `statistics` as of its latest published month (null before any publication), or as of
    ?month=YYYY-MM (400 with a message for a malformed month or one outside its figures)."""
    data = selectors.indicator_dataset(pk=pk)
    if data is None:
        raise Http404("No such indicator")
    wanted = request.GET.get("month")
    if wanted is not None:
        month, error = asof.month_error(text=wanted, reported=data.reported_months())
        if error:
            return JsonResponse(
                {"error": error, "field": "month"},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        data = selectors.as_of(data, month=month)
    indicator = data.indicator
    return JsonResponse(
        {
            **_summary(indicator),
            "definition": indicator.definition,
            "measure_type": indicator.measure_type,
            "polarity": indicator.polarity,
            "decimals": indicator.decimals,
            "month": f"{data.month:%Y-%m}" if data.month else None,
            "values": [
                {"month": f"{month:%Y-%m}", **_figure(figure), "revised": figure.revised}
                for month, figure in sorted(data.figures.items())
            ],
            "targets": [
                {
                    "year": held.year,
                    "financial_year": financial_year_label(year=held.year),
                    "value": held.target.value,
                    "bound": held.target.bound,
                    "status": "" if held.target.value is not None else "tbc",
                    "text": data.target_text(held.year),
                }
                for held in sorted(data.targets.values(), key=lambda t: t.year)
            ],
            "benchmarks": [
                {
                    "comparator": held.comparator.name,
                    "kind": held.comparator.kind,
                    "year": held.year,
                    "financial_year": financial_year_label(year=held.year),
                    **_figure(held.figure),
                }
                for held in data.benchmarks
            ],
            "statistics": data.stats.to_dict() if data.stats else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )
