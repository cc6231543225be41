import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from cms.records import EXPORTS, export_spec
from core.exporting import csv_chunks, json_chunks, write_xlsx
from people.models import Agency


class Command(BaseCommand):
    help = "Export records as CSV (streamed), XLSX (write-only) or JSON."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(EXPORTS))
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("--agency", help="only this state body (code or BIN)")
        parser.add_argument("--since", help="only rows changed since this ISO date or time")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, kind, format, agency=None, since=None, output=None, **options):
        agency_obj = None
        if agency:
            agency_obj = (
                Agency.objects.filter(code=agency) | Agency.objects.filter(bin=agency)
            ).first()
            if agency_obj is None:
                raise CommandError(f"No state body with code or BIN {agency!r}.")
        since_value = None
        if since:
            since_value = parse_datetime(since) if "T" in since or " " in since else None
            if since_value is not None and timezone.is_naive(since_value):
                since_value = timezone.make_aware(since_value)
            if since_value is None:
                day = parse_date(since)
                if day is None:
                    raise CommandError(f"--since {since!r} is not an ISO date or date-time.")
                since_value = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        queryset, columns = export_spec(kind, agency=agency_obj, since=since_value)
        if format == "xlsx":
            if not output:
                raise CommandError("XLSX needs -o FILE.")
            write_xlsx(output, queryset, columns, title=kind)
            return
        chunks = (
            csv_chunks(queryset, columns) if format == "csv" else json_chunks(queryset, columns)
        )
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                for chunk in chunks:
                    handle.write(chunk)
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
