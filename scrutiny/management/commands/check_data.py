"""`python manage.py check_data [--panel SLUG]`: check the dataset and the tracker after the fact.

Loads plain records with a fixed number of queries (whatever the size of the data) and runs
the rules of `scrutiny.integrity` over them. Prints one line per problem, naming the object and
what is wrong, and exits non-zero when there is any; prints a summary and exits 0 when there
is none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from indicators.models import (
    STATUS_CHOICES,
    AreaIndicator,
    BenchmarkValue,
    Commentary,
    Indicator,
    Publication,
    Target,
    Value,
)
from meetings.models import AgendaDocument, AgendaItem, Minute, Panel
from recommendations.models import Recommendation, RecommendationUpdate
from scrutiny import integrity

MSG_NO_PANEL = "No panel with the slug “{slug}”."
MSG_PROBLEMS = "{count} problem(s) found."
MSG_CLEAN = "No problems found: {summary}."
CHUNK = 5000


def _day(moment) -> date | None:
    return None if moment is None else timezone.localtime(moment).date()


class Command(BaseCommand):
    help = (
        "Check the integrity of the performance dataset, the meetings' minutes and the "
        "recommendations tracker. One line per problem; exits 1 when there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--panel", help="Check only this panel (its slug).")

    def handle(self, *args, **options):
        panel = None
        if options["panel"]:
            panel = Panel.objects.filter(slug=options["panel"]).first()
            if panel is None:
                raise CommandError(MSG_NO_PANEL.format(slug=options["panel"]))
        self.counts: dict[str, int] = defaultdict(int)
        problems = 0
        for problem in self.problems(panel=panel):
            problems += 1
            self.stdout.write(problem.text)
        if problems:
            raise CommandError(MSG_PROBLEMS.format(count=problems))
        if options["verbosity"] >= 1:
            summary = ", ".join(f"{count} {name}" for name, count in self.counts.items())
            self.stdout.write(self.style.SUCCESS(MSG_CLEAN.format(summary=summary)))

    # --- Loading --------------------------------------------------------------------------

    def problems(self, *, panel: Panel | None) -> Iterator[integrity.Problem]:
        indicator_months: dict[int, set[date]] = defaultdict(set)
        yield from integrity.check_values(
            values=self._values(panel, indicator_months),
            today=timezone.localdate(),
            publications=self._publications(panel),
            known_statuses=dict(STATUS_CHOICES),
        )
        yield from integrity.check_targets(targets=self._targets(panel))
        yield from integrity.check_benchmarks(benchmarks=self._benchmarks(panel))
        yield from integrity.check_commentary(
            commentary=self._commentary(panel),
            indicator_months=indicator_months,
            area_months=self._area_months(panel, indicator_months),
        )
        yield from integrity.check_recommendations(recommendations=self._recommendations(panel))
        yield from integrity.check_updates(updates=self._updates(panel))
        yield from integrity.check_minutes(minutes=self._minutes(panel))
        yield from integrity.check_exempt(items=self._exempt(panel))

    def _count(self, name: str, rows):
        for row in rows:
            self.counts[name] += 1
            yield row

    def _values(self, panel, indicator_months) -> Iterator[integrity.ValueRecord]:
        values = Value.objects.order_by("indicator__panel__name", "indicator__order", "month")
        if panel is not None:
            values = values.filter(indicator__panel=panel)
        rows = values.values_list(
            "pk",
            "indicator_id",
            "indicator__panel_id",
            "indicator__panel__name",
            "indicator__name",
            "indicator__outturn_type",
            "month",
            "number",
            "status",
            "state",
        )
        for pk, indicator_id, panel_id, panel_name, name, outturn, month, number, status, state in (
            self._count("values", rows.iterator(chunk_size=CHUNK))
        ):
            indicator_months[indicator_id].add(month)
            yield integrity.ValueRecord(
                pk, panel_id, panel_name, name, outturn, month, number, status, state
            )

    def _publications(self, panel) -> set[tuple[int, date]]:
        publications = Publication.objects.all()
        if panel is not None:
            publications = publications.filter(panel=panel)
        return set(publications.values_list("panel_id", "month"))

    def _targets(self, panel) -> Iterator[integrity.TargetRecord]:
        targets = Target.objects.order_by("indicator__panel__name", "indicator__order", "year")
        if panel is not None:
            targets = targets.filter(indicator__panel=panel)
        rows = targets.values_list(
            "pk",
            "indicator__panel__name",
            "indicator__name",
            "indicator__outturn_type",
            "indicator__polarity",
            "year",
            "number",
            "status",
            "bound",
        )
        for row in self._count("targets", rows.iterator(chunk_size=CHUNK)):
            yield integrity.TargetRecord(*row)

    def _benchmarks(self, panel) -> Iterator[integrity.BenchmarkRecord]:
        benchmarks = BenchmarkValue.objects.order_by("indicator__panel__name", "indicator__order")
        if panel is not None:
            benchmarks = benchmarks.filter(indicator__panel=panel)
        rows = benchmarks.values_list(
            "pk",
            "indicator__panel__name",
            "indicator__name",
            "indicator__outturn_type",
            "comparator__name",
            "year",
            "number",
        )
        for row in self._count("benchmarks", rows.iterator(chunk_size=CHUNK)):
            yield integrity.BenchmarkRecord(*row)

    def _commentary(self, panel) -> Iterator[integrity.CommentaryRecord]:
        commentary = Commentary.objects.order_by("month", "pk")
        if panel is not None:
            commentary = commentary.filter(
                Q(indicator__panel=panel) | Q(priority_area__panel=panel)
            )
        rows = commentary.annotate(
            panel_name=Coalesce("indicator__panel__name", "priority_area__panel__name")
        ).values_list(
            "pk",
            "panel_name",
            "month",
            "indicator_id",
            "indicator__name",
            "priority_area_id",
            "priority_area__name",
        )
        for row in self._count("commentary", rows.iterator(chunk_size=CHUNK)):
            yield integrity.CommentaryRecord(*row)

    def _area_months(self, panel, indicator_months) -> dict[int, set[date]]:
        """The months any indicator of an area (its own or placed in its table) has values
        for."""
        home = Indicator.objects.filter(priority_area__isnull=False)
        placed = AreaIndicator.objects.all()
        if panel is not None:
            home = home.filter(panel=panel)
            placed = placed.filter(priority_area__panel=panel)
        area_months: dict[int, set[date]] = defaultdict(set)
        pairs = [
            *home.values_list("priority_area_id", "pk"),
            *placed.values_list("priority_area_id", "indicator_id"),
        ]
        for area_id, indicator_id in pairs:
            area_months[area_id] |= indicator_months.get(indicator_id, set())
        return area_months

    def _recommendations(self, panel) -> Iterator[integrity.RecommendationRecord]:
        recommendations = Recommendation.objects.order_by("panel__name", "meeting_date", "pk")
        if panel is not None:
            recommendations = recommendations.filter(panel=panel)
        rows = recommendations.values_list(
            "pk",
            "panel__name",
            "item_title",
            "number",
            "meeting_date",
            "status__name",
            "status__is_complete",
            "status__is_rejected",
            "accepted_at__start",
            "rejection_reported_at__start",
        )
        for *head, accepted, reported in self._count(
            "recommendations", rows.iterator(chunk_size=CHUNK)
        ):
            yield integrity.RecommendationRecord(*head, _day(accepted), _day(reported))

    def _updates(self, panel) -> Iterator[integrity.UpdateRecord]:
        updates = RecommendationUpdate.objects.order_by("recommendation_id", "date", "pk")
        if panel is not None:
            updates = updates.filter(recommendation__panel=panel)
        rows = updates.values_list(
            "pk",
            "recommendation_id",
            "recommendation__panel__name",
            "recommendation__item_title",
            "recommendation__number",
            "recommendation__meeting_date",
            "date",
        )
        for pk, rec_pk, panel_name, title, number, made, day in self._count(
            "updates", rows.iterator(chunk_size=CHUNK)
        ):
            subject = (
                f"recommendation #{rec_pk}, {number}) of “{title}”, "
                f"{integrity.long_date(made)} ({panel_name})"
            )
            yield integrity.UpdateRecord(pk, subject, made, day)

    def _minutes(self, panel) -> Iterator[integrity.MinuteRecord]:
        minutes = Minute.objects.order_by("panel_id", "municipal_year", "number", "pk")
        if panel is not None:
            minutes = minutes.filter(panel=panel)
        rows = minutes.values_list(
            "pk", "panel_id", "panel__name", "municipal_year", "number", "meeting_id",
            "meeting__start",
        )
        for *head, start in self._count("minutes", rows.iterator(chunk_size=CHUNK)):
            yield integrity.MinuteRecord(*head, _day(start))

    def _exempt(self, panel) -> Iterator[integrity.ExemptRecord]:
        items = AgendaItem.objects.filter(exempt=True).order_by("meeting__start", "number")
        papers = AgendaDocument.objects.filter(exempt=True).order_by("item__meeting__start", "pk")
        if panel is not None:
            items = items.filter(meeting__panel=panel)
            papers = papers.filter(item__meeting__panel=panel)
        for pk, number, title, start, panel_name, paragraph in items.values_list(
            "pk", "number", "title", "meeting__start", "meeting__panel__name", "exempt_paragraph"
        ):
            day = integrity.long_date(_day(start))
            label = f"{number}. “{title}”, meeting of {day} ({panel_name})"
            yield integrity.ExemptRecord(pk, "Agenda item", label, paragraph)
        for pk, title, number, start, panel_name, paragraph in papers.values_list(
            "pk",
            "title",
            "item__number",
            "item__meeting__start",
            "item__meeting__panel__name",
            "exempt_paragraph",
        ):
            label = (
                f"“{title}” of item {number}, meeting of {integrity.long_date(_day(start))} "
                f"({panel_name})"
            )
            yield integrity.ExemptRecord(pk, "Paper", label, paragraph)
