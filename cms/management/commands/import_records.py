"""`manage.py import_records KIND FILE [--dry-run] [--agency CODE]`: the kind's Resource imports
the file (core.resources, django-import-export's import_data) and the command prints its result:
every bad row (line, column, reason), then the counts. Exit status 1 when the file is refused,
in which case nothing was written."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.records import IMPORTERS, importer_for
from people.models import Agency


class Command(BaseCommand):
    help = (
        "Import a CSV (UTF-8, UTF-8 with BOM, Windows-1251; comma or semicolon) or XLSX file. "
        "A file with any bad row imports nothing; exit status 1 then."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--agency", help="only rows of this state body (code or BIN)")

    def handle(self, *args, kind, file, dry_run=False, agency=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if (
            agency
            and not (
                Agency.objects.filter(code=agency) | Agency.objects.filter(bin=agency)
            ).exists()
        ):
            raise CommandError(f"No state body with code or BIN {agency!r}.")
        importer = importer_for(kind)(agency_code=agency)
        report = importer.run_file(path.read_bytes(), path.name, dry_run=dry_run)
        for error in report.errors:
            self.stdout.write(str(error))
        self.stdout.write(report.summary())
        if not report.ok:
            sys.exit(1)
