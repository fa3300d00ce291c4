"""`python manage.py load_demo`: load the seed demo (idempotent; refused under production)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scrutiny.demo import loader
from scrutiny.demo.seed_parser import SeedFormatError


class Command(BaseCommand):
    help = (
        "Load the demo from the seed papers: the Children and Families Scrutiny Panel's agenda "
        "pack of 31 March 2022. Running it again changes nothing. Refused under production "
        "settings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds-dir",
            type=Path,
            default=None,
            help="Folder holding the seed papers (default: settings.SEEDS_DIR).",
        )

    def handle(self, *args, **options):
        try:
            loader.check_allowed()
        except loader.DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        seeds_dir = options["seeds_dir"] or Path(settings.SEEDS_DIR)
        verbose = options["verbosity"] >= 1
        try:
            counts = loader.load_demo(seeds_dir=seeds_dir, stdout=self.stdout if verbose else None)
        except (SeedFormatError, FileNotFoundError) as exc:
            raise CommandError(f"The demo was not loaded (nothing was written): {exc}") from exc
        if not verbose:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo loaded from {seeds_dir / loader.SEED_FILE}"))
        width = max(len(label) for label in loader.COUNT_LABELS.values())
        for key, label in loader.COUNT_LABELS.items():
            self.stdout.write(f"  {label:<{width}}  {counts[key]:>5}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password {settings.DEMO_PASSWORD}):")
        name_width = max(len(account.username) for account in loader.ACCOUNTS)
        for account in loader.ACCOUNTS:
            self.stdout.write(f"  {account.username:<{name_width}}  {account.description}")
