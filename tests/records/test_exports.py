"""Exports: CSV streamed in chunks, spreadsheet formulas neutralised in CSV and XLSX, headers
in the active language, `--since`, XLSX files openpyxl can read, valid JSON."""

import csv
import datetime
import inspect
import io
import json
import random
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from cms.records import EXPORTS, export_spec
from core.exporting import csv_chunks, export_columns, json_chunks, write_xlsx
from core.iin import make_iin
from people.models import CivilServant, Position
from promotions.models import Competition
from tests.factories import ServantFactory
from tests.records.helpers import SERVANT_RU, csv_bytes, iins, run_import

pytestmark = pytest.mark.django_db
ORAL = zoneinfo.ZoneInfo("Asia/Oral")


def parse_csv(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def export_command(*args, language="en"):
    with translation.override(language):
        call_command("export_records", *args)


@pytest.fixture
def many_servants(oral):
    position = Position.objects.create(
        agency=oral, title_ru="Специалист", title_kk="Маман", category="E-G-4"
    )
    people = iins(80, 1201)
    CivilServant.objects.bulk_create(
        CivilServant(
            iin=iin,
            last_name=f"Фамилия{n}",
            first_name="Имя",
            agency=oral,
            position=position,
            appointed_on=datetime.date(2024, 1, 1),
            pseudonym=f"P-{n:012d}",
        )
        for n, iin in enumerate(people)
    )
    return people


def test_csv_is_streamed_in_chunks(many_servants):
    queryset, columns = export_spec("servants")
    chunks = csv_chunks(queryset, columns)
    assert inspect.isgenerator(chunks)
    chunks = list(chunks)
    assert chunks[0] == "\ufeff"  # Excel then opens the UTF-8 file correctly
    data_chunks = chunks[2:]
    assert len(data_chunks) >= 2
    assert all(len(parse_csv(chunk)) <= 1000 for chunk in data_chunks)
    rows = parse_csv("".join(chunks))
    assert len(rows) == 1 + 1201
    assert {row[1] for row in rows[1:]} == set(many_servants)


def test_export_command_writes_every_row_to_a_file(many_servants, tmp_path):
    target = tmp_path / "servants.csv"
    export_command("servants", "-o", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = parse_csv(raw.decode("utf-8"))
    assert rows[0][:3] == ["pseudonymous id", "IIN", "last name"]
    assert len(rows) == 1202


# -- formulas --------------------------------------------------------------------------


DANGEROUS = {
    "last_name": '=HYPERLINK("http://evil.example","click")',
    "first_name": "+77011234567",
    "middle_name": "-2+3",
    "email": "@SUM(A1:A9)",
}


@pytest.fixture
def dangerous_servant(oral):
    return ServantFactory(agency=oral, iin=iins(81, 1)[0], **DANGEROUS)


@pytest.fixture
def dangerous_competition(oral):
    return Competition.objects.create(
        agency=oral,
        position_title="=1+1",
        category="E-G-3",
        held_on=datetime.date(2026, 5, 20),
        kind="general",
        outcome="failed",
    )


def test_csv_neutralises_formulas(dangerous_servant, dangerous_competition):
    queryset, columns = export_spec("servants")
    with translation.override("en"):
        header, row = parse_csv("".join(csv_chunks(queryset, columns)))
    cells = dict(zip(header, row, strict=True))
    assert cells["last name"] == "'" + DANGEROUS["last_name"]
    assert cells["first name"] == "'+77011234567"
    assert cells["patronymic"] == "'-2+3"
    assert cells["e-mail"] == "'@SUM(A1:A9)"
    assert cells["IIN"] == dangerous_servant.iin  # ordinary cells untouched
    queryset, columns = export_spec("competitions")
    with translation.override("en"):
        header, row = parse_csv("".join(csv_chunks(queryset, columns)))
    assert dict(zip(header, row, strict=True))["position"] == "'=1+1"


def test_xlsx_neutralises_formulas(dangerous_servant, dangerous_competition, tmp_path):
    target = tmp_path / "servants.xlsx"
    export_command("servants", "--format", "xlsx", "-o", str(target))
    sheet = load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert cells["last name"].value == "'" + DANGEROUS["last_name"]
    assert cells["first name"].value == "'+77011234567"
    assert cells["patronymic"].value == "'-2+3"
    assert cells["e-mail"].value == "'@SUM(A1:A9)"
    assert all(cell.data_type == "s" for cell in sheet[2] if isinstance(cell.value, str))
    target = tmp_path / "competitions.xlsx"
    export_command("competitions", "--format", "xlsx", "-o", str(target))
    sheet = load_workbook(target).active
    assert sheet["B2"].value == "'=1+1" and sheet["B2"].data_type == "s"


def test_json_is_not_neutralised(dangerous_servant):
    queryset, columns = export_spec("servants")
    (item,) = json.loads("".join(json_chunks(queryset, columns)))
    assert item["last_name"] == DANGEROUS["last_name"]


# -- language ----------------------------------------------------------------------------


def test_csv_headers_follow_the_active_language(dangerous_servant):
    queryset, columns = export_spec("servants")
    with translation.override("ru"):
        russian = parse_csv("".join(csv_chunks(queryset, columns)))[0]
    with translation.override("en"):
        english = parse_csv("".join(csv_chunks(queryset, columns)))[0]
    with translation.override("kk"):
        kazakh = parse_csv("".join(csv_chunks(queryset, columns)))[0]
    assert english[1:4] == ["IIN", "last name", "first name"]
    assert russian[1:4] == ["ИИН", "фамилия", "имя"]
    assert kazakh[1:4] == ["ЖСН", "тегі", "аты"]


def test_command_headers_follow_the_active_language(dangerous_servant, tmp_path):
    target = tmp_path / "servants.xlsx"
    export_command("servants", "--format", "xlsx", "-o", str(target), language="ru")
    header = [cell.value for cell in load_workbook(target).active[1]]
    assert header[1:3] == ["ИИН", "фамилия"]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_export_header_is_translated(language):
    from django.utils.module_loading import import_string

    untranslated = []
    for kind, path in EXPORTS.items():
        columns = export_columns(import_string(path)())
        with translation.override("en"):
            english = [str(c.header) for c in columns]
        with translation.override(language):
            local = [str(c.header) for c in columns]
        untranslated += [f"{kind}: {e}" for e, t in zip(english, local, strict=True) if e == t]
    assert untranslated == []


# -- --since -----------------------------------------------------------------------------


@pytest.fixture
def old_and_new(oral):
    old, older, recent = (ServantFactory(agency=oral, iin=iin) for iin in iins(82, 3))
    CivilServant.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2025, 12, 31, 23, 0, tzinfo=ORAL)
    )
    CivilServant.objects.filter(pk=older.pk).update(
        updated_at=datetime.datetime(2024, 6, 1, 12, 0, tzinfo=ORAL)
    )
    CivilServant.objects.filter(pk=recent.pk).update(
        updated_at=datetime.datetime(2026, 1, 2, 9, 0, tzinfo=ORAL)
    )
    return old, older, recent


def exported_iins(path):
    return [row[1] for row in parse_csv(path.read_text(encoding="utf-8"))[1:]]


def test_since_filters_by_updated_at(old_and_new, tmp_path):
    old, older, recent = old_and_new
    target = tmp_path / "out.csv"
    export_command("servants", "--since", "2026-01-01", "-o", str(target))
    assert exported_iins(target) == [recent.iin]
    export_command("servants", "--since", "2025-12-31T22:00:00+05:00", "-o", str(target))
    assert sorted(exported_iins(target)) == sorted([old.iin, recent.iin])
    export_command("servants", "-o", str(target))
    assert len(exported_iins(target)) == 3


def test_since_picks_up_what_an_import_changed(old_and_new, tmp_path):
    old, older, recent = old_and_new
    row = [
        older.iin,
        "Новикова",
        older.first_name,
        older.middle_name,
        older.email,
        "akimat-oral",
        older.position.title_ru,
        older.position.category,
        older.appointed_on.isoformat(),
    ]
    report = run_import("servants", csv_bytes([SERVANT_RU, row]), "servants.csv")
    assert (report.updated, report.unchanged) == (1, 0)
    target = tmp_path / "out.csv"
    export_command("servants", "--since", "2026-01-02T10:00:00+05:00", "-o", str(target))
    assert exported_iins(target) == [older.iin]


def test_since_must_be_a_date(db):
    with pytest.raises(CommandError, match="is not an ISO date"):
        call_command("export_records", "servants", "--since", "last week")


# -- XLSX and JSON ---------------------------------------------------------------------


def test_xlsx_file_opens_in_openpyxl(oral, tmp_path):
    born_2003 = make_iin(random.Random(83), born=datetime.date(2003, 4, 5))
    assert born_2003.startswith("0")
    people = [ServantFactory(agency=oral, iin=iin) for iin in [born_2003, *iins(83, 2)]]
    target = tmp_path / "servants.xlsx"
    export_command("servants", "--format", "xlsx", "-o", str(target))
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["servants"]
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1:4] == ("IIN", "last name", "first name")
    assert len(rows) == 4
    by_iin = {row[1]: row for row in rows[1:]}
    assert set(by_iin) == {p.iin for p in people}  # IINs stay text: leading zeros survive
    assert by_iin[people[0].iin][9] == datetime.datetime(2020, 1, 15)  # a real date cell


def test_xlsx_needs_an_output_file(db):
    with pytest.raises(CommandError, match="XLSX needs -o FILE"):
        call_command("export_records", "servants", "--format", "xlsx")


def test_xlsx_times_are_local_times(oral):
    person = ServantFactory(agency=oral, iin=iins(84, 1)[0])
    local = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=ORAL)
    CivilServant.objects.filter(pk=person.pk).update(updated_at=local)
    queryset, columns = export_spec("servants")
    buffer = io.BytesIO()
    write_xlsx(buffer, queryset, columns)
    buffer.seek(0)
    row = list(load_workbook(buffer).active.iter_rows(min_row=2, values_only=True))[0]
    assert row[-1] == datetime.datetime(2026, 3, 10, 12, 0)


def test_json_is_valid_json(oral, tmp_path, capsys):
    people = [ServantFactory(agency=oral, iin=iin, last_name='Ким "Ли"') for iin in iins(85, 2)]
    target = tmp_path / "servants.json"
    export_command("servants", "--format", "json", "-o", str(target))
    items = json.loads(target.read_text(encoding="utf-8"))
    assert [item["iin"] for item in items] == [p.iin for p in people]
    assert items[0]["last_name"] == 'Ким "Ли"'
    assert items[0]["appointed_on"] == "2020-01-15"
    assert items[0]["agency_bin"] == oral.bin
    datetime.datetime.fromisoformat(items[0]["updated_at"])
    capsys.readouterr()
    export_command("competitions", "--format", "json")  # standard output, no rows
    assert json.loads(capsys.readouterr().out) == []


def test_export_command_agency_option(oral, agency_a, tmp_path):
    mine = ServantFactory(agency=agency_a, iin=iins(86, 1)[0])
    ServantFactory(agency=oral, iin=iins(87, 1)[0])
    target = tmp_path / "out.csv"
    export_command("servants", "--agency", "akimat-a", "-o", str(target))
    assert exported_iins(target) == [mine.iin]
    export_command("servants", "--agency", agency_a.bin, "-o", str(target))
    assert exported_iins(target) == [mine.iin]
    with pytest.raises(CommandError, match="No state body"):
        export_command("servants", "--agency", "akimat-zz")


def test_a_russian_export_reimports_without_changes(oral, tmp_path):
    rows = [SERVANT_RU] + [
        [
            iin,
            "Иванов",
            "Пётр",
            "Ильич",
            f"p{n}@oral.kz",
            "akimat-oral",
            "Специалист",
            "E-G-4",
            "2025-03-01",
        ]
        for n, iin in enumerate(iins(88, 3))
    ]
    assert run_import("servants", csv_bytes(rows), "servants.csv").new == 3
    target = tmp_path / "servants.csv"
    export_command("servants", "-o", str(target), language="ru")
    report = run_import("servants", target.read_bytes(), "servants.csv")
    assert report.ok, (report.text, report.lines)
    assert sorted(CivilServant.objects.values_list("email", flat=True)) == [
        "p0@oral.kz",
        "p1@oral.kz",
        "p2@oral.kz",
    ]
    assert (report.updated, report.unchanged) == (0, 3)
