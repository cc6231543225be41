"""Import kinds of this app: civil servants and quarterly performance ratings."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.importing import RowInvalid, iin_cell
from core.tabular import Column, code_cell, parse_date, parse_int, text_cell

from .categories import validate_category
from .importing import AgencyScopedImporter, registered_elsewhere_message
from .models import (
    Agency,
    CivilServant,
    PerformanceRating,
    Position,
    Rating,
    new_pseudonym,
)
from .ratings import VIA_API, VIA_IMPORT, rating_changes_record

SERVANT_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "email",
    "agency_id",
    "position_id",
    "appointed_on",
)


def agencies_by_code() -> dict[str, Agency]:
    """Every state body under its BIN and its short code (case-insensitive): files use either."""
    agencies = {}
    for agency in Agency.objects.all():
        agencies[agency.bin] = agency
        agencies[agency.code.casefold()] = agency
    return agencies


class ServantImporter(AgencyScopedImporter):
    kind = "servants"
    columns = [
        Column("iin", ("ИИН", "ЖСН")),
        Column("last_name", ("Фамилия", "Тегі")),
        Column("first_name", ("Имя", "Аты")),
        Column("middle_name", ("Отчество", "Әкесінің аты", "patronymic"), required=False),
        Column(
            "email",
            ("Email", "E-mail", "Электронная почта", "Электрондық пошта"),
            required=False,
        ),
        Column("agency_code", ("Код органа", "Органның коды", "БИН", "БСН", "BIN")),
        Column("position", ("Должность", "Лауазым", "Лауазымы")),
        Column("category", ("Категория", "Санат", "Санаты")),
        Column("appointed_on", ("Дата назначения", "Тағайындалған күні", "appointed on")),
    ]

    def plan(self, rows):
        agencies = agencies_by_code()
        positions = {
            (p.agency_id, p.title_ru.casefold(), p.category): p.pk
            for p in Position.objects.all().only("pk", "agency_id", "title_ru", "category")
        }
        existing = {
            row[0]: row[1:]
            for row in CivilServant.objects.values_list("iin", "pk", *SERVANT_FIELDS).iterator(
                chunk_size=5000
            )
        }
        seen: dict[str, int] = {}
        new_positions: dict[tuple, Position] = {}
        creates, updates = [], []
        for line, row in rows:
            try:
                iin = iin_cell(row["iin"], column="iin")
                if iin in seen:
                    raise RowInvalid(
                        "iin",
                        _("IIN %(iin)s already appeared on line %(line)s.")
                        % {"iin": iin, "line": seen[iin]},
                    )
                seen[iin] = line
                last_name = text_cell(row["last_name"])
                first_name = text_cell(row["first_name"])
                if not last_name:
                    raise RowInvalid("last_name", _("the last name is empty"))
                if not first_name:
                    raise RowInvalid("first_name", _("the first name is empty"))
                current = existing.get(iin)
                if current is not None and not self.may_touch_agency(current[5]):
                    # An officer may only touch people who are already theirs (or new).
                    raise RowInvalid("iin", registered_elsewhere_message(iin))
                stored_email = current[4] if current else ""
                # A file without the optional column keeps what is stored.
                email = text_cell(row["email"]) if "email" in row else stored_email
                if email:
                    try:
                        validate_email(email)
                    except ValidationError:
                        raise RowInvalid(
                            "email", _("%(value)r is not an e-mail address") % {"value": email}
                        ) from None
                agency = agencies.get(code_cell(row["agency_code"]).casefold())
                if agency is None:
                    raise RowInvalid(
                        "agency_code",
                        _("no state body with code %(code)r")
                        % {"code": text_cell(row["agency_code"])},
                    )
                self.check_agency(agency.pk, "agency_code")
                category = text_cell(row["category"]).upper()
                try:
                    validate_category(category)
                except ValidationError as exc:
                    raise RowInvalid("category", exc.messages[0]) from None
                title = text_cell(row["position"])
                if not title:
                    raise RowInvalid("position", _("the position is empty"))
                try:
                    appointed_on = parse_date(row["appointed_on"])
                except ValueError as exc:
                    raise RowInvalid("appointed_on", str(exc)) from None
            except RowInvalid as invalid:
                self.error(line, invalid.column, invalid.message)
                continue
            key = (agency.pk, title.casefold(), category)
            position_id = positions.get(key)
            if position_id is None:
                position = new_positions.get(key)
                if position is None:
                    position = new_positions[key] = Position(
                        agency=agency, title_ru=title, title_kk=title, category=category
                    )
            if "middle_name" in row:
                middle = text_cell(row["middle_name"])
            else:  # column absent: keep what is stored
                middle = current[3] if current else ""
            values = (last_name, first_name, middle, email, agency.pk, position_id, appointed_on)
            if current is None:
                creates.append((iin, values, key))
                self.report.new += 1
            elif position_id is not None and tuple(current[1:]) == values:
                self.report.unchanged += 1
            else:
                updates.append((current[0], values, key))
                self.report.updated += 1
        return creates, updates, new_positions, positions

    def apply(self, operations):
        creates, updates, new_positions, positions = operations
        Position.objects.bulk_create(new_positions.values(), batch_size=1000)
        for key, position in new_positions.items():
            positions[key] = position.pk

        def build(values, key, **extra):
            last, first, middle, email, agency_id, _position_id, appointed = values
            return CivilServant(
                last_name=last,
                first_name=first,
                middle_name=middle,
                email=email,
                agency_id=agency_id,
                position_id=positions[key],
                appointed_on=appointed,
                **extra,
            )

        if connection.vendor == "postgresql":
            _copy_new_servants(creates, positions)
        else:
            batch = []
            for iin, values, key in creates:
                servant = build(values, key, iin=iin)
                servant.first_appointed_on = servant.appointed_on
                batch.append(servant)
                if len(batch) >= 2000:
                    CivilServant.objects.bulk_create(batch)
                    batch = []
            CivilServant.objects.bulk_create(batch)
        now = timezone.now()  # bulk_update skips auto_now: set it, incremental syncs rely on it
        changed = [build(values, key, pk=pk, updated_at=now) for pk, values, key in updates]
        CivilServant.objects.bulk_update(
            changed,
            [
                "updated_at",
                "last_name",
                "first_name",
                "middle_name",
                "email",
                "agency_id",
                "position_id",
                "appointed_on",
            ],
            batch_size=1000,
        )


_COPY_COLUMNS = (
    "iin",
    "last_name",
    "first_name",
    "middle_name",
    "email",
    "agency_id",
    "position_id",
    "appointed_on",
    "first_appointed_on",
    "preferred_language",
    "pseudonym",
    "created_at",
    "updated_at",
)


def _copy_new_servants(creates, positions) -> None:
    """New servants through PostgreSQL's COPY instead of bulk_create's INSERT (100k servants:
    8.6k → 21k rows/s in benchmarks/import_export.py). Same columns and defaults as the model;
    the import tests run on PostgreSQL too."""
    now = timezone.now()
    language = CivilServant._meta.get_field("preferred_language").default
    table = CivilServant._meta.db_table
    sql = f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for iin, values, key in creates:
            last, first, middle, email, agency_id, _position_id, appointed = values
            copy.write_row(
                (
                    iin,
                    last,
                    first,
                    middle,
                    email,
                    agency_id,
                    positions[key],
                    appointed,
                    appointed,
                    language,
                    new_pseudonym(),
                    now,
                    now,
                )
            )


_RATING_WORDS = {
    Rating.EFFECTIVE: ("effective", "эффективно", "тиімді"),
    Rating.PROPER: ("proper", "надлежащим образом", "тиісінше"),
    Rating.SATISFACTORY: ("satisfactory", "удовлетворительно", "қанағаттанарлық"),
    Rating.UNSATISFACTORY: ("unsatisfactory", "неудовлетворительно", "қанағаттанарлықсыз"),
}
_RATING_LOOKUP = {word: code for code, words in _RATING_WORDS.items() for word in words}
_RATING_PREFIXES = (
    "выполняет функциональные обязанности",
    "функционалдық міндеттерін",
    "performs functional duties",
)


def parse_rating(value) -> str:
    text = " ".join(str(value).casefold().split())
    for prefix in _RATING_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    text = text.removesuffix(" орындайды").strip()
    if text in _RATING_LOOKUP:
        return _RATING_LOOKUP[text]
    raise ValueError(
        _(
            "%(value)r is not a rating (effective, proper, satisfactory, unsatisfactory, or the "
            "Russian or Kazakh wording)."
        )
        % {"value": str(value)}
    )


def servants_by_iin(iins) -> dict[str, tuple[int, int]]:
    """IIN → (servant id, agency id), in chunks (no per-row queries)."""
    result = {}
    iins = list(iins)
    for start in range(0, len(iins), 5000):
        result.update(
            (iin, (pk, agency_id))
            for iin, pk, agency_id in CivilServant.objects.filter(
                iin__in=iins[start : start + 5000]
            ).values_list("iin", "pk", "agency_id")
        )
    return result


class RatingImporter(AgencyScopedImporter):
    kind = "ratings"
    columns = [
        Column("iin", ("ИИН", "ЖСН")),
        Column("year", ("Год", "Жыл")),
        Column("quarter", ("Квартал", "Тоқсан")),
        Column("rating", ("Оценка", "Бағалау")),
    ]

    via = VIA_IMPORT

    def plan(self, rows):
        self._previous = {}  # rating pk → its rating before this import
        servants = servants_by_iin({code_cell(r["iin"]) for _, r in rows})
        existing = {}
        ids = [pk for pk, _agency in servants.values()]
        for start in range(0, len(ids), 5000):
            existing.update(
                ((s, y, q), (pk, rating))
                for pk, s, y, q, rating in PerformanceRating.objects.filter(
                    servant_id__in=ids[start : start + 5000]
                ).values_list("pk", "servant_id", "year", "quarter", "rating")
            )
        seen, creates, updates = {}, [], []
        for line, row in rows:
            try:
                iin = iin_cell(row["iin"], column="iin")
                servant_id, _agency_id = self.person_in_scope(iin, servants, "iin")
                try:
                    year = parse_int(row["year"], low=2000, high=2100)
                except ValueError as exc:
                    raise RowInvalid("year", str(exc)) from None
                try:
                    quarter = parse_int(row["quarter"], low=1, high=4)
                except ValueError as exc:
                    raise RowInvalid("quarter", str(exc)) from None
                try:
                    rating = parse_rating(row["rating"])
                except ValueError as exc:
                    raise RowInvalid("rating", str(exc)) from None
                key = (servant_id, year, quarter)
                if key in seen:
                    raise RowInvalid(
                        "quarter",
                        _("this quarter is already rated on line %(line)s") % {"line": seen[key]},
                    )
                seen[key] = line
            except RowInvalid as invalid:
                self.error(line, invalid.column, invalid.message)
                continue
            current = existing.get(key)
            if current is None:
                creates.append(
                    PerformanceRating(
                        servant_id=servant_id, year=year, quarter=quarter, rating=rating
                    )
                )
                self.report.new += 1
            elif current[1] == rating:
                self.report.unchanged += 1
            else:
                updates.append(
                    PerformanceRating(
                        pk=current[0],
                        servant_id=servant_id,
                        year=year,
                        quarter=quarter,
                        rating=rating,
                        updated_at=timezone.now(),
                    )
                )
                self._previous[current[0]] = current[1]
                self.report.updated += 1
        return creates, updates

    def apply(self, operations):
        creates, updates = operations
        PerformanceRating.objects.bulk_create(creates, batch_size=2000)
        PerformanceRating.objects.bulk_update(updates, ["rating", "updated_at"], batch_size=1000)
        self._written = [(r, None) for r in creates] + [(r, self._previous[r.pk]) for r in updates]

    def record_batch(self):
        super().record_batch()
        # Per person: old → new, the batch and the actor (bulk writes bypass auditlog).
        rating_changes_record(
            changes=self._written, actor=self.user, batch=self.batch, via=self.via
        )


class ApiRatingImporter(RatingImporter):
    """`POST /api/v1/ratings/`: the same importer; its audit entries say they came by the API."""

    via = VIA_API


# -- exports ----------------------------------------------------------------------------


def _servant_columns():
    from django.utils.translation import gettext_lazy

    from core.exporting import ExportColumn

    return [
        ExportColumn("pseudonym", gettext_lazy("pseudonymous id")),
        ExportColumn("iin", gettext_lazy("IIN")),
        ExportColumn("last_name", gettext_lazy("last name")),
        ExportColumn("first_name", gettext_lazy("first name")),
        ExportColumn("middle_name", gettext_lazy("patronymic")),
        ExportColumn("email", gettext_lazy("e-mail")),
        ExportColumn("agency__bin", gettext_lazy("BIN")),
        ExportColumn("position__title_ru", gettext_lazy("position")),
        ExportColumn("position__category", gettext_lazy("category")),
        ExportColumn("appointed_on", gettext_lazy("appointed on")),
        ExportColumn("updated_at", gettext_lazy("updated at")),
    ]


def _rating_columns():
    from django.utils.translation import gettext_lazy

    from core.exporting import ExportColumn

    return [
        ExportColumn("servant__iin", gettext_lazy("IIN")),
        ExportColumn("servant__last_name", gettext_lazy("last name")),
        ExportColumn("year", gettext_lazy("year")),
        ExportColumn("quarter", gettext_lazy("quarter")),
        ExportColumn("rating", gettext_lazy("rating")),
        ExportColumn("updated_at", gettext_lazy("updated at")),
    ]


SERVANT_EXPORT = (CivilServant, "", _servant_columns)
RATING_EXPORT = (PerformanceRating, "servant", _rating_columns)
