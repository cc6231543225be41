"""Building real import files (CSV bytes in several encodings, XLSX via openpyxl) and
looking at what ended up in the database."""

import csv
import io
import random

from django.utils import translation
from openpyxl import Workbook

from cms.records import importer_for
from core.iin import make_iin

SERVANT_EN = [
    "iin",
    "last_name",
    "first_name",
    "middle_name",
    "email",
    "agency_code",
    "position",
    "category",
    "appointed_on",
]
SERVANT_RU = [
    "ИИН",
    "Фамилия",
    "Имя",
    "Отчество",
    "Email",
    "Код органа",
    "Должность",
    "Категория",
    "Дата назначения",
]
SERVANT_KK = [
    "ЖСН",
    "Тегі",
    "Аты",
    "Әкесінің аты",
    "Электрондық пошта",
    "Органның коды",
    "Лауазым",
    "Санат",
    "Тағайындалған күні",
]
RATING_EN = ["iin", "year", "quarter", "rating"]
RATING_RU = ["ИИН", "Год", "Квартал", "Оценка"]
COMPLETION_EN = [
    "iin",
    "programme_code",
    "programme_title",
    "provider",
    "hours",
    "completed_on",
    "certificate_number",
]
COMPLETION_RU = [
    "ИИН",
    "Код программы",
    "Программа",
    "Организация",
    "Часы",
    "Дата окончания",
    "Номер сертификата",
]
COMPETITION_EN = [
    "agency_code",
    "position",
    "category",
    "held_on",
    "kind",
    "outcome",
    "winner_iin",
]
COMPETITION_RU = [
    "Код органа",
    "Должность",
    "Категория",
    "Дата проведения",
    "Вид",
    "Итог",
    "ИИН победителя",
]


def iins(seed: int, count: int, *, no_leading_zero: bool = True) -> list[str]:
    """Distinct valid IINs. By default none starts with 0 (so a numeric XLSX cell keeps it)."""
    rng = random.Random(seed)
    result: list[str] = []
    while len(result) < count:
        iin = make_iin(rng)
        if iin in result or (no_leading_zero and iin.startswith("0")):
            continue
        result.append(iin)
    return result


def csv_bytes(rows, *, delimiter: str = ",", encoding: str = "utf-8", newline: str = "\r\n"):
    """CSV as a spreadsheet program saves it. encoding "utf-8-sig" writes the BOM."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    """A workbook whose first sheet holds `rows` (None = an empty cell, [] = an empty row)."""
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(kind, data, filename, *, user=None, agency_code=None, dry_run=False):
    """Run an importer the way the admin does, in English; the report gets `.text` (its
    summary) and `.lines` (each error as the user reads it)."""
    with translation.override("en"):
        importer = importer_for(kind)(user=user, agency_code=agency_code)
        report = importer.run_file(data, filename, dry_run=dry_run)
        report.text = report.summary()
        report.lines = [str(error) for error in report.errors]
    return report


def errors_of(report) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in report.errors]


def db_state() -> dict:
    """Every row (all fields) of every table an import can write."""
    from core.models import ImportBatch
    from enrolments.models import QualificationRecord
    from people.models import CivilServant, PerformanceRating, Position
    from promotions.models import Competition

    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (
            CivilServant,
            Position,
            PerformanceRating,
            QualificationRecord,
            Competition,
            ImportBatch,
        )
    }


def servant(
    iin,
    last="Иванов",
    first="Пётр",
    position="Главный специалист",
    category="E-G-3",
    agency="akimat-oral",
    email="",
    appointed="2025-03-01",
    middle="",
):
    """One row of a servants file (SERVANT_EN column order)."""
    return [iin, last, first, middle, email, agency, position, category, appointed]
