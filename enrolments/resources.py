"""Import kind of this app: completed trainings, which become QualificationRecords
(source "import"). Records are never edited: a changed row supersedes the old record."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import add_years
from core.importing import RowInvalid, iin_cell
from core.tabular import Column, code_cell, parse_date, parse_int, text_cell
from courses.models import Programme, ProgrammeKind
from people.importing import AgencyScopedImporter
from people.resources import servants_by_iin

from .models import Enrolment, QualificationRecord, RecordSource
from .results import qualification_records_import

DEFAULT_VALIDITY_YEARS = 3


class CompletionImporter(AgencyScopedImporter):
    kind = "completions"
    columns = [
        Column("iin", ("ИИН", "ЖСН")),
        Column("programme_code", ("Код программы", "Бағдарлама коды"), required=False),
        Column("programme_title", ("Программа", "Бағдарлама")),
        Column("provider", ("Организация", "Ұйым")),
        Column("hours", ("Часы", "Сағат")),
        Column("completed_on", ("Дата окончания", "Аяқталған күні")),
        Column("certificate_number", ("Номер сертификата", "Сертификат нөмірі"), required=False),
    ]

    def plan(self, rows):
        servants = servants_by_iin({code_cell(r["iin"]) for _, r in rows})
        programmes = {
            p.code: p
            for p in Programme.objects.all().only(
                "pk", "code", "kind", "validity_years", "title_ru"
            )
        }
        ids = [pk for pk, _agency in servants.values()]
        existing = {}
        for start in range(0, len(ids), 5000):
            for record in QualificationRecord.objects.filter(
                servant_id__in=ids[start : start + 5000], is_current=True
            ).only(
                "pk",
                "servant_id",
                "title",
                "provider",
                "completed_on",
                "hours",
                "certificate_number",
                "programme_id",
                "source",
                "kind",
                "valid_until",
                "is_current",
                "updated_at",
            ):
                key = (
                    record.servant_id,
                    record.title.casefold(),
                    record.provider.casefold(),
                    record.completed_on,
                )
                existing[key] = record
        seen, creates, supersede = {}, [], []
        today = timezone.localdate()
        for line, row in rows:
            try:
                iin = iin_cell(row["iin"], column="iin")
                servant_id, _agency_id = self.person_in_scope(iin, servants, "iin")
                code = text_cell(row.get("programme_code", "")).upper()
                programme = programmes.get(code) if code else None
                if code and programme is None:
                    raise RowInvalid(
                        "programme_code", _("no programme with code %(code)s") % {"code": code}
                    )
                title = text_cell(row["programme_title"]) or (
                    programme.title_ru if programme else ""
                )
                if not title:
                    raise RowInvalid("programme_title", _("the programme title is empty"))
                provider = text_cell(row["provider"])
                if not provider:
                    raise RowInvalid("provider", _("the provider is empty"))
                try:
                    hours = parse_int(row["hours"], low=1, high=2000)
                except ValueError as exc:
                    raise RowInvalid("hours", str(exc)) from None
                try:
                    completed_on = parse_date(row["completed_on"])
                except ValueError as exc:
                    raise RowInvalid("completed_on", str(exc)) from None
                if completed_on > today:
                    raise RowInvalid("completed_on", _("the date is in the future"))
                key = (servant_id, title.casefold(), provider.casefold(), completed_on)
                if key in seen:
                    raise RowInvalid(
                        "programme_title",
                        _("the same training already appears on line %(line)s")
                        % {"line": seen[key]},
                    )
                seen[key] = line
            except RowInvalid as invalid:
                self.error(line, invalid.column, invalid.message)
                continue
            current = existing.get(key)
            if "certificate_number" in row:
                certificate_number = text_cell(row["certificate_number"])
            else:  # column absent: keep what is stored
                certificate_number = current.certificate_number if current else ""
            if (
                current is not None
                and current.source == RecordSource.ENROLMENT
                and (current.hours, current.certificate_number) != (hours, certificate_number)
            ):
                self.error(
                    line,
                    "hours",
                    _(
                        "this training was recorded by the academy from its results; ask the "
                        "academy to correct it"
                    ),
                )
                continue
            validity = programme.validity_years if programme else DEFAULT_VALIDITY_YEARS
            record = QualificationRecord(
                servant_id=servant_id,
                programme=programme,
                title=title,
                kind=programme.kind if programme else ProgrammeKind.QUALIFICATION_UPGRADE,
                provider=provider,
                hours=hours,
                completed_on=completed_on,
                valid_until=add_years(completed_on, validity),
                certificate_number=certificate_number,
                source=RecordSource.IMPORT,
                created_by=self.user if getattr(self.user, "is_authenticated", False) else None,
            )
            if current is None:
                creates.append(record)
                self.report.new += 1
            elif (current.hours, current.certificate_number) == (hours, certificate_number):
                self.report.unchanged += 1
            else:
                record.supersedes_id = current.pk
                record.correction_reason = _("Corrected by an import.")
                supersede.append((current, record))
                self.report.updated += 1
        return creates, supersede

    def apply(self, operations):
        creates, supersede = operations
        # The same service and the same trail (history, audit) as a correction in the admin.
        qualification_records_import(creates=creates, supersede=supersede, actor=self.user)


def _record_columns():
    from django.utils.translation import gettext_lazy

    from core.exporting import ExportColumn

    return [
        ExportColumn("uid", gettext_lazy("record id")),
        ExportColumn("servant__iin", gettext_lazy("IIN")),
        ExportColumn("servant__last_name", gettext_lazy("last name")),
        ExportColumn("servant__first_name", gettext_lazy("first name")),
        ExportColumn("programme__code", gettext_lazy("programme code")),
        ExportColumn("title", gettext_lazy("title")),
        ExportColumn("kind", gettext_lazy("kind")),
        ExportColumn("provider", gettext_lazy("provider")),
        ExportColumn("hours", gettext_lazy("academic hours")),
        ExportColumn("completed_on", gettext_lazy("completed on")),
        ExportColumn("valid_until", gettext_lazy("valid until")),
        ExportColumn("certificate_number", gettext_lazy("certificate number")),
        ExportColumn("source", gettext_lazy("source")),
        ExportColumn("is_current", gettext_lazy("current")),
        ExportColumn("updated_at", gettext_lazy("updated at")),
    ]


def _enrolment_columns():
    from django.utils.translation import gettext_lazy

    from core.exporting import ExportColumn

    return [
        ExportColumn("servant__iin", gettext_lazy("IIN")),
        ExportColumn("servant__last_name", gettext_lazy("last name")),
        ExportColumn("session__programme__code", gettext_lazy("programme code")),
        ExportColumn("session__starts_on", gettext_lazy("starts on")),
        ExportColumn("status", gettext_lazy("status")),
        ExportColumn("requested_at", gettext_lazy("requested at")),
        ExportColumn("attended_hours", gettext_lazy("attended hours")),
        ExportColumn("updated_at", gettext_lazy("updated at")),
    ]


RECORD_EXPORT = (QualificationRecord, "servant", _record_columns)


ENROLMENT_EXPORT = (Enrolment, "servant", _enrolment_columns)
