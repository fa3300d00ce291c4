"""python manage.py export_tracker --panel <slug> --meeting YYYY-MM-DD PATH (.xlsx or .csv)."""

from datetime import date
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from recommendations import exports, selectors

ERROR_NO_MEETING = "The panel “{panel}” has no meeting on {day}."


class Command(BaseCommand):
    help = "Write the monitoring report of a meeting as an .xlsx or .csv file (public view)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--panel", required=True, help="The panel's slug.")
        parser.add_argument("--meeting", required=True, type=date.fromisoformat,
                            help="The meeting's date, YYYY-MM-DD.")
        parser.add_argument("--include-exempt", action="store_true",
                            help="Include recommendations from exempt items (not for publication).")

    def handle(self, *args, path: Path, panel: str, meeting: date, include_exempt: bool, **options):
        try:
            export_format = exports.format_from_path(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        found = selectors.meetings_on(report_date=meeting, panel_slug=panel).first()
        if found is None:
            raise CommandError(ERROR_NO_MEETING.format(panel=panel, day=meeting))
        user = _Staff() if include_exempt else AnonymousUser()
        report = selectors.monitoring_report(meeting=found, user=user)
        content, _ = exports.export_bytes(
            export_format=export_format,
            panel_name=found.panel.name,
            title=report.title,
            groups=report.groups,
        )
        path.write_bytes(content)
        self.stdout.write(f"Wrote {len(report.items)} recommendations to {path}")


class _Staff:
    """Stands for a signed-in reader when exempt items are asked for explicitly."""

    is_authenticated = True
