"""`python manage.py export_dataset --panel SLUG [--year 2021] [--columns 2019] PATH`.

Writes the monitoring table of a financial year as the page's export (.xlsx or .csv, from the
path's suffix): published figures only, as the public sees them.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators import exports, selectors, tables
from indicators.rules.calendar import financial_year, financial_year_label

ERROR_NO_PANEL = "No panel with the slug “{slug}”."
ERROR_NOTHING_PUBLISHED = "The panel “{panel}” has published no data yet."
ERROR_NO_YEAR = "The panel “{panel}” has published no data for {label}."
ERROR_SUFFIX = "Give the file a .xlsx or .csv name (not “{name}”)."


class Command(BaseCommand):
    help = "Write a panel's monitoring table for a financial year as .xlsx or .csv (public view)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--panel", required=True, help="The panel's slug.")
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Financial year by its first year (2021 = 2021/22); default the latest.",
        )
        parser.add_argument(
            "--columns",
            choices=[tables.CURRENT, tables.LAYOUT_2019],
            default=tables.CURRENT,
            help="Column layout: current (default) or 2019.",
        )

    def handle(self, *args, path: Path, panel: str, year: int | None, columns: str, **options):
        if path.suffix.lower().lstrip(".") not in exports.FORMATS:
            raise CommandError(ERROR_SUFFIX.format(name=path.name))
        found = selectors.dashboard_panel(slug=panel)
        if found is None:
            raise CommandError(ERROR_NO_PANEL.format(slug=panel))
        latest = found.latest_month
        if latest is None:
            raise CommandError(ERROR_NOTHING_PUBLISHED.format(panel=found.name))
        if year is None:
            year = financial_year(month=latest)
        label = financial_year_label(year=year)
        dataset = selectors.panel_dataset(panel=found, year=year)
        if year not in dataset.years or dataset.month is None:
            raise CommandError(ERROR_NO_YEAR.format(panel=found.name, label=label))
        exports.write_file(path=path, dataset=dataset, year=year, layout=columns)
        rows = sum(len(area.rows) for area in dataset.areas)
        self.stdout.write(
            f"Wrote {rows} rows of {found.name}, {label} ({dataset.months_summary}), to {path}"
        )
