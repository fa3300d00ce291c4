"""`python manage.py import_dataset PATH --panel SLUG [--dry-run] [--publish] [--reason TEXT]`.

The same reading, validation and writing as the admin's import (indicators.workbook,
indicators.services.import_plan and indicators.services.import_workbook). Exits non-zero, with
the same messages, when the file cannot be read or has any error; nothing is written then. With
`--publish`, before anything is written, it prints for each month it publishes how complete the
month will be (the same summary as the admin's publishing check: "25 of 29 indicators have no
March 2022 value:" and the list).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.command_line import COMMAND_LINE
from indicators import selectors, services
from indicators.rules import validation
from indicators.services import import_plan
from indicators.workbook import reading
from meetings.models import Panel

MSG_NO_PANEL = "No panel with the slug “{slug}”."
MSG_NO_FILE = "No file at {path}."
MSG_FAILED = "{count} error(s): nothing was imported."


class Command(BaseCommand):
    help = "Import a performance workbook (.xlsx, 2022 or 2019 layout) into a panel's dataset."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--panel", required=True, help="The panel's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report; write nothing."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Approve and publish what it imports."
        )
        parser.add_argument(
            "--reason", default="", help="Reason for revising published values, if it does."
        )

    def handle(self, *args, **options):
        path: Path = options["path"]
        panel = Panel.objects.filter(slug=options["panel"]).first()
        if panel is None:
            raise CommandError(MSG_NO_PANEL.format(slug=options["panel"]))
        if not path.is_file():
            raise CommandError(MSG_NO_FILE.format(path=path))
        try:
            plan, result = services.import_workbook(
                user=COMMAND_LINE,
                panel=panel,
                source=path,
                dry_run=options["dry_run"],
                publish=options["publish"],
                revision_reason=options["reason"],
                before_write=self._print_completeness if options["publish"] else None,
            )
        except reading.ImportRefused as refused:
            raise CommandError(refused.message) from refused
        for issue in plan.issues:
            label = "ERROR" if issue.is_error else "WARNING"
            self.stderr.write(f"{label}: {issue.text}")
        if plan.errors:
            raise CommandError(MSG_FAILED.format(count=len(plan.errors)))
        summary = (
            f"{plan.count(import_plan.CREATE)} to create, "
            f"{plan.count(import_plan.CHANGE)} to change, "
            f"{plan.count(import_plan.REVISE)} to revise, {plan.unchanged} unchanged, "
            f"{len(plan.new_indicators)} new indicator(s)."
        )
        if result is None:
            self.stdout.write(f"Dry run, nothing written: {summary}")
            return
        self.stdout.write(self.style.SUCCESS(f"Imported into {panel}: {summary}"))
        if result.published_months:
            months = ", ".join(validation.month_label(m) for m in result.published_months)
            self.stdout.write(f"Published: {months}.")

    def _print_completeness(self, plan) -> None:
        for month in selectors.import_completeness(plan=plan):
            for line in month.lines():
                self.stdout.write(line)
