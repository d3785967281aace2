"""Shared shape of the CSV import commands: read, validate, report, exit non-zero on refusal."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lms.errors import ImportFileError
from lms.services.imports import count_rows


class ImportCommand(BaseCommand):
    service = None  # set by subclasses: a function(*, data, skip_invalid, progress)
    noun = "rows"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (UTF-8, a BOM is accepted)")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid rows and report the invalid ones"
        )

    def service_options(self, options) -> dict:
        """Extra keyword arguments for the service (subclasses with their own options)."""
        return {}

    def handle(self, *args, file, skip_invalid, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        data = path.read_bytes()
        total = count_rows(data)
        with tqdm(
            total=total, unit=self.noun, disable=total < 200 or options["verbosity"] == 0, file=self.stderr._out
        ) as bar:
            try:
                result = type(self).service(
                    data=data, skip_invalid=skip_invalid, progress=bar.update, **self.service_options(options)
                )
            except ImportFileError as exc:
                raise CommandError(f"{file}: {exc}. Nothing was imported.") from exc
        for error in result.errors:
            self.stderr.write(f"{file}: {error}")
        if not result.applied:
            raise CommandError(
                f"{file}: {len(result.errors)} invalid row(s); nothing was imported. "
                "Fix them, or run again with --skip-invalid to import the valid rows."
            )
        self.stdout.write(self.style.SUCCESS(f"{file}: {result.summary()}"))
