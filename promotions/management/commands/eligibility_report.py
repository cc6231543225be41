import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.routers import reporting_alias
from core.exporting import neutralise
from people.models import Agency, CivilServant
from promotions.services import NoRuleSet, eligibility_criteria_codes, eligibility_stream


class Command(BaseCommand):
    help = "Promotion-eligibility of everyone (of one state body) as CSV, XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="state body code or BIN (default: the region)")
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("-o", "--output", help="file (required for XLSX)")

    def handle(self, *args, agency=None, as_of=None, format="csv", output=None, **options):
        agency_obj = None
        if agency:
            agency_obj = (
                Agency.objects.filter(code=agency) | Agency.objects.filter(bin=agency)
            ).first()
            if agency_obj is None:
                raise CommandError(f"No state body with code or BIN {agency!r}.")
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of {as_of!r} is not a YYYY-MM-DD date.") from None
        if format == "xlsx" and not output:
            raise CommandError("XLSX needs -o FILE.")
        try:
            codes = eligibility_criteria_codes(agency=agency_obj, as_of=day)
            results = eligibility_stream(agency=agency_obj, as_of=day)
        except NoRuleSet as exc:
            raise CommandError(str(exc)) from None
        # Rows are written as they are evaluated (servants in the order of their ids): a
        # region of 100,000 people is never held in memory at once.
        pseudonyms = (
            # Results and names from the same database (the replica, when there is one).
            (
                CivilServant.objects.using(reporting_alias()).all()
                if agency_obj is None
                else CivilServant.objects.using(reporting_alias()).filter(agency=agency_obj)
            )
            .order_by("pk")
            .values_list("pk", "pseudonym")
            .iterator(chunk_size=5000)
        )
        summary = {"total": 0, "eligible": 0, "version": "-"}

        def named():
            for result, (pk, pseudonym) in zip(results, pseudonyms, strict=True):
                assert result.servant_id == pk, "servants and pseudonyms out of step"
                if not summary["total"]:
                    summary["version"] = result.rule_version
                summary["total"] += 1
                summary["eligible"] += result.eligible
                yield result, pseudonym

        header = [
            "pseudonym",
            "target_category",
            "eligible",
            "rule_version",
            *[f"{code}_met" for code in codes],
            "gaps",
        ]

        def row(r, pseudonym):
            met = {c.code: c.met for c in r.criteria}
            gaps = " | ".join(gap for c in r.criteria if not c.met and (gap := c.gap))
            return [
                pseudonym,
                r.target_category,
                r.eligible,
                r.rule_version,
                *[met.get(code, "") for code in codes],
                neutralise(gaps),
            ]

        if format == "xlsx":
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("eligibility")
            sheet.append(header)
            for r, pseudonym in named():
                sheet.append(row(r, pseudonym))
            workbook.save(output)
        else:
            handle = open(output, "w", encoding="utf-8", newline="") if output else None  # noqa: SIM115
            try:
                write = handle.write if handle else self._stdout_writer()
                if format == "json":
                    self._write_json(write, named())
                else:
                    self._write_csv(write, header, (row(r, p) for r, p in named()))
            finally:
                if handle:
                    handle.close()
        self.stderr.write(
            f"{summary['eligible']} of {summary['total']} eligible on {day.isoformat()} "
            f"(rule set {summary['version']})."
        )

    def _stdout_writer(self):
        def write(text: str) -> None:
            self.stdout.write(text, ending="")

        return write

    @staticmethod
    def _write_csv(write, header, rows) -> None:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for number, values in enumerate(rows, start=1):
            writer.writerow(values)
            if number % 1000 == 0:
                write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        write(buffer.getvalue())

    @staticmethod
    def _write_json(write, named) -> None:
        """The text `json.dumps(list, ensure_ascii=False, indent=1)` makes, one item at a time."""
        import json

        first = True
        for r, pseudonym in named:
            item = json.dumps(
                {**r.as_dict(explained=True), "pseudonym": pseudonym}, ensure_ascii=False, indent=1
            )
            write(("[\n" if first else ",\n") + "\n".join(" " + line for line in item.split("\n")))
            first = False
        write("[]\n" if first else "\n]\n")
