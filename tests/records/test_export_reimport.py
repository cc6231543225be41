"""An export re-imports unchanged: for every importable kind, a CSV and an XLSX export in
Kazakh and in Russian (headers and words in the reader's language) read back by the same
kind's import finds no error and changes nothing."""

import datetime
import io
import random

import pytest
from django.utils import translation
from openpyxl import load_workbook

from cms.records import export_spec
from core.exporting import csv_chunks, write_xlsx
from core.iin import make_iin
from enrolments.models import QualificationRecord
from people.models import CivilServant
from promotions.models import Competition
from tests.factories import ProgrammeFactory
from tests.records.helpers import (
    COMPETITION_EN,
    COMPLETION_EN,
    RATING_EN,
    SERVANT_EN,
    csv_bytes,
    db_state,
    iins,
    run_import,
    servant,
)

pytestmark = pytest.mark.django_db


def _imported(kind, rows):
    report = run_import(kind, csv_bytes(rows), f"{kind}.csv")
    assert report.ok, report.lines
    return report


@pytest.fixture
def register(oral, agency_a):
    """A little of everything each kind holds, written by imports (and by the academy)."""
    born_2003 = make_iin(random.Random(500), born=datetime.date(2003, 4, 5))
    a, b, c, d = iins(501, 4)
    people = [born_2003, a, b, c, d]
    _imported(
        "servants",
        [
            SERVANT_EN,
            servant(born_2003, email="p0@oral.kz", middle="Ильич"),  # IIN with a leading zero
            servant(a, last="+Смирнов", first="-", position="=Эксперт", category="C-O-4"),
            servant(b, last="Жұмабаева", first="Айгүл", appointed="12.05.2024"),
            servant(c, agency=agency_a.bin, position="Руководитель", category="E-G-2"),
            servant(d, agency="akimat-a", position="Руководитель", category="e-g-2"),
        ],
    )
    words = ["effective", "надлежащим образом", "қанағаттанарлық", "unsatisfactory"]
    _imported(
        "ratings",
        [RATING_EN]
        + [[iin, "2025", str(1 + n % 4), words[n % 4]] for n, iin in enumerate(people)]
        + [[a, "2026", "1", "proper"]],
    )
    programme = ProgrammeFactory(code="PRG-900", title_ru="Противодействие коррупции")
    completions = [
        [born_2003, "", "Основы аудита", "Академия", "36", "2025-11-20", "AGU-1188"],
        [a, "PRG-900", "", "Академия", "72", "2025-10-01", ""],
        [b, "", "Цифровая трансформация", "НАО «ПдГ»", "24", "12.05.2025", ""],
        [c, "", "=SUM(A1)", "@Академия", "18", "2024-02-29", "-7"],
    ]
    _imported("completions", [COMPLETION_EN, *completions])
    completions[0][4] = "40"  # supersedes the first record: the old one is history
    _imported("completions", [COMPLETION_EN, *completions])
    QualificationRecord.objects.create(  # what the academy records from its own results
        servant=CivilServant.objects.get(iin=d),
        programme=programme,
        title=programme.title_ru,
        kind=programme.kind,
        provider="Академия государственного управления",
        hours=programme.academic_hours,
        completed_on=datetime.date(2025, 6, 6),
        valid_until=datetime.date(2028, 6, 6),
        source="enrolment",
    )
    _imported(
        "competitions",
        [
            COMPETITION_EN,
            ["akimat-oral", "Главный специалист", "E-G-3", "2026-05-20", "общий", "назначен", a],
            ["akimat-oral", "Руководитель", "E-G-2", "14.04.2026", "ішкі", "promoted", b],
            [oral.bin, "Эксперт", "C-O-4", "2026-06-02", "general", "не состоялся", ""],
            ["akimat-a", "-Консультант", "E-G-4", "2026-06-09", "internal", "appointed", c],
        ],
    )
    assert QualificationRecord.objects.filter(is_current=False).count() == 1
    assert Competition.objects.count() == 4


def _export(kind, language, form):
    queryset, columns = export_spec(kind)
    with translation.override(language):
        headers = [str(c.header) for c in columns]
        if form == "csv":
            return "".join(csv_chunks(queryset, columns)).encode("utf-8"), headers
        buffer = io.BytesIO()
        write_xlsx(buffer, queryset, columns, title=kind)
        return buffer.getvalue(), headers


def _first_row(data, form):
    if form == "csv":
        return data.decode("utf-8-sig").splitlines()[0]
    return ",".join(str(v) for v in next(load_workbook(io.BytesIO(data)).active.values))


@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("kind", ["servants", "ratings", "completions", "competitions"])
def test_an_export_reimports_unchanged(register, kind, language, form):
    data, headers = _export(kind, language, form)
    with translation.override("en"):
        english = [str(c.header) for c in export_spec(kind)[1]]
    assert headers != english and _first_row(data, form).startswith(headers[0])
    rows = export_spec(kind)[0].count()
    assert rows >= 4
    before = db_state()
    before.pop("ImportBatch")
    report = run_import(kind, data, f"{kind}.{form}")
    assert report.ok, report.lines
    assert (report.new, report.updated, report.unchanged) == (0, 0, rows)
    after = db_state()
    after.pop("ImportBatch")
    assert after == before  # every field of every row, updated_at included


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_exported_words_are_the_readers_language(register, language):
    """Codes never reach a file: kinds, outcomes, ratings, sources and yes/no are words."""
    texts = {
        kind: _export(kind, language, "csv")[0].decode("utf-8-sig")
        for kind in ("ratings", "competitions", "records")
    }
    with translation.override(language):
        from django.utils.translation import gettext

        expected = {
            "ratings": gettext("performs functional duties effectively"),
            "competitions": gettext("did not take place"),
            "records": gettext("completed enrolment"),
        }
    for kind, word in expected.items():
        assert word in texts[kind], kind
    for code in ("effective", "failed", "general", "enrolment", "import", "True", "False"):
        assert f",{code}," not in texts["ratings"] + texts["competitions"] + texts["records"]
