"""Import kind of this app: the competitions register."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.importing import RowInvalid, iin_cell
from core.tabular import Column, code_cell, parse_date, text_cell
from people.categories import validate_category
from people.importing import AgencyScopedImporter
from people.resources import agencies_by_code, servants_by_iin

from .models import Competition, CompetitionKind, CompetitionOutcome

_KINDS = {
    "general": CompetitionKind.GENERAL,
    "общий": CompetitionKind.GENERAL,
    "жалпы": CompetitionKind.GENERAL,
    "internal": CompetitionKind.INTERNAL,
    "внутренний": CompetitionKind.INTERNAL,
    "ішкі": CompetitionKind.INTERNAL,
}
_OUTCOMES = {
    "promoted": CompetitionOutcome.PROMOTED,
    "назначен на вышестоящую": CompetitionOutcome.PROMOTED,
    "назначен на вышестоящую должность": CompetitionOutcome.PROMOTED,
    "жоғары тұрған лауазымға тағайындалды": CompetitionOutcome.PROMOTED,
    "appointed": CompetitionOutcome.APPOINTED,
    "назначен": CompetitionOutcome.APPOINTED,
    "тағайындалды": CompetitionOutcome.APPOINTED,
    "failed": CompetitionOutcome.FAILED,
    "не состоялся": CompetitionOutcome.FAILED,
    "өткізілмеді": CompetitionOutcome.FAILED,
}
FIELDS = ("kind", "outcome", "winner_id")


class CompetitionImporter(AgencyScopedImporter):
    kind = "competitions"
    columns = [
        Column("agency_code", ("Код органа", "Органның коды", "БИН", "БСН")),
        Column("position", ("Должность", "Лауазым")),
        Column("category", ("Категория", "Санат")),
        Column("held_on", ("Дата проведения", "Өткізілген күні")),
        Column("kind", ("Вид", "Түрі")),
        Column("outcome", ("Итог", "Нәтижесі")),
        Column("winner_iin", ("ИИН победителя", "Жеңімпаздың ЖСН"), required=False),
    ]

    def plan(self, rows):
        agencies = agencies_by_code()
        winners = servants_by_iin(
            {code_cell(r.get("winner_iin")) for _, r in rows if r.get("winner_iin")}
        )
        existing = {
            (a, t.casefold(), c, h): (pk, k, o, w)
            for pk, a, t, c, h, k, o, w in Competition.objects.values_list(
                "pk", "agency_id", "position_title", "category", "held_on", *FIELDS
            )
        }
        seen, creates, updates = {}, [], []
        for line, row in rows:
            try:
                agency = agencies.get(code_cell(row["agency_code"]).casefold())
                if agency is None:
                    raise RowInvalid(
                        "agency_code",
                        _("no state body with code %(code)r")
                        % {"code": text_cell(row["agency_code"])},
                    )
                self.check_agency(agency.pk, "agency_code")
                title = text_cell(row["position"])
                if not title:
                    raise RowInvalid("position", _("the position is empty"))
                category = text_cell(row["category"]).upper()
                try:
                    validate_category(category)
                except ValidationError as exc:
                    raise RowInvalid("category", exc.messages[0]) from None
                try:
                    held_on = parse_date(row["held_on"])
                except ValueError as exc:
                    raise RowInvalid("held_on", str(exc)) from None
                kind = _KINDS.get(" ".join(text_cell(row["kind"]).casefold().split()))
                if kind is None:
                    raise RowInvalid("kind", _("use general/общий or internal/внутренний"))
                outcome = _OUTCOMES.get(" ".join(text_cell(row["outcome"]).casefold().split()))
                if outcome is None:
                    raise RowInvalid(
                        "outcome", _("use promoted, appointed or failed (or the Russian wording)")
                    )
                winner_id = None
                if row.get("winner_iin", ""):
                    iin = iin_cell(row.get("winner_iin", ""), column="winner_iin")
                    # The winner is scoped like the row: a servant of the user's state bodies.
                    winner_id, _agency_id = self.person_in_scope(iin, winners, "winner_iin")
                if outcome == CompetitionOutcome.FAILED and winner_id:
                    raise RowInvalid(
                        "winner_iin", _("a competition that did not take place has no winner")
                    )
                key = (agency.pk, title.casefold(), category, held_on)
                if key in seen:
                    raise RowInvalid(
                        "position",
                        _("the same competition already appears on line %(line)s")
                        % {"line": seen[key]},
                    )
                seen[key] = line
            except RowInvalid as invalid:
                self.error(line, invalid.column, invalid.message)
                continue
            current = existing.get(key)
            if current is None:
                creates.append(
                    Competition(
                        agency=agency,
                        position_title=title,
                        category=category,
                        held_on=held_on,
                        kind=kind,
                        outcome=outcome,
                        winner_id=winner_id,
                    )
                )
                self.report.new += 1
            elif current[1:] == (kind, outcome, winner_id):
                self.report.unchanged += 1
            else:
                updates.append(
                    Competition(pk=current[0], kind=kind, outcome=outcome, winner_id=winner_id)
                )
                self.report.updated += 1
        return creates, updates

    def apply(self, operations):
        from django.utils import timezone

        creates, updates = operations
        Competition.objects.bulk_create(creates, batch_size=2000)
        for competition in updates:
            competition.updated_at = timezone.now()
        Competition.objects.bulk_update(updates, [*FIELDS, "updated_at"], batch_size=1000)


def _competition_columns():
    from django.utils.translation import gettext_lazy

    from core.exporting import ExportColumn

    return [
        ExportColumn("agency__bin", gettext_lazy("BIN")),
        ExportColumn("position_title", gettext_lazy("position")),
        ExportColumn("category", gettext_lazy("category")),
        ExportColumn("held_on", gettext_lazy("held on")),
        ExportColumn("kind", gettext_lazy("kind")),
        ExportColumn("outcome", gettext_lazy("outcome")),
        ExportColumn("winner__iin", gettext_lazy("winner")),
        ExportColumn("updated_at", gettext_lazy("updated at")),
    ]


COMPETITION_EXPORT = (Competition, None, _competition_columns)
