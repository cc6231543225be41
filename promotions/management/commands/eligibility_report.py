import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.routers import reporting_db
from people.exporting import neutralise
from people.models import Agency, CivilServant
from promotions.services import NoRuleSet, eligibility_for_agency


class Command(BaseCommand):
    help = "Promotion-eligibility of everyone (of one state body) as CSV, XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="state body code or BIN (default: the region)")
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("-o", "--output", help="file (required for XLSX)")

    def handle(self, *args, agency=None, as_of=None, format="csv", output=None, **options):
        import csv
        import io
        import json

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
        # Results and names from the same database (the replica, when there is one).
        with reporting_db():
            try:
                results = eligibility_for_agency(agency=agency_obj, as_of=day)
            except NoRuleSet as exc:
                raise CommandError(str(exc)) from None
            names = dict(CivilServant.objects.values_list("pk", "pseudonym"))
        codes = sorted({c.code for r in results for c in r.criteria})
        header = [
            "pseudonym",
            "target_category",
            "eligible",
            "rule_version",
            *[f"{code}_met" for code in codes],
            "gaps",
        ]
        rows = []
        for r in results:
            met = {c.code: c.met for c in r.criteria}
            gaps = " | ".join(c.gap for c in r.criteria if not c.met and c.gap)
            rows.append(
                [
                    names[r.servant_id],
                    r.target_category,
                    r.eligible,
                    r.rule_version,
                    *[met.get(code, "") for code in codes],
                    neutralise(gaps),
                ]
            )
        if format == "json":
            payload = [{**r.as_dict(), "pseudonym": names[r.servant_id]} for r in results]
            self._write(output, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        elif format == "xlsx":
            if not output:
                raise CommandError("XLSX needs -o FILE.")
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("eligibility")
            sheet.append(header)
            for row in rows:
                sheet.append(row)
            workbook.save(output)
        else:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(header)
            writer.writerows(rows)
            self._write(output, buffer.getvalue())
        eligible = sum(r.eligible for r in results)
        self.stderr.write(
            f"{eligible} of {len(results)} eligible on {day.isoformat()} "
            f"(rule set {results[0].rule_version if results else '-'})."
        )

    def _write(self, output, text: str) -> None:
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
