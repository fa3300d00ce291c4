"""python manage.py import_tracker PATH --panel <slug> [--dry-run]."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.command_line import COMMAND_LINE
from meetings.models import Panel
from recommendations.importers import TrackerImportError
from recommendations.services import import_tracker

ERROR_NO_PANEL = "No panel has the slug “{slug}”."


class Command(BaseCommand):
    help = "Import a tracker (.xlsx or .csv in the council's layout); any error writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--panel", required=True, help="The panel's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )

    def handle(self, *args, path: Path, panel: str, dry_run: bool, **options):
        found = Panel.objects.filter(slug=panel).first()
        if found is None:
            raise CommandError(ERROR_NO_PANEL.format(slug=panel))
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            plan = import_tracker(
                panel=found, content=path.read_bytes(), name=path.name, user=COMMAND_LINE,
                dry_run=dry_run,
            )
        except TrackerImportError as exc:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(str(error) for error in exc.errors)
            ) from exc
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{verb} {len(plan.created)}, "
            f"{'would update' if dry_run else 'updated'} {len(plan.updated)}, "
            f"unchanged {len(plan.unchanged)}."
        )
        for change in plan.updated:
            self.stdout.write(f"  row {change.row}: {change.label}: {', '.join(change.changes)}")
