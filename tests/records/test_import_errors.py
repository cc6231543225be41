"""Bad files and bad rows: a clear message, the line and column of every bad row, and
nothing written — a file with any bad row imports nothing."""

import io
import random
import zipfile

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from core.models import ImportBatch
from people.models import CivilServant, PerformanceRating
from tests.factories import ServantFactory
from tests.records.helpers import (
    RATING_EN,
    RATING_RU,
    SERVANT_EN,
    SERVANT_RU,
    csv_bytes,
    db_state,
    errors_of,
    iins,
    run_import,
    servant,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def good_servants_file(seed=1, count=2):
    return csv_bytes([SERVANT_EN] + [servant(iin) for iin in iins(seed, count)])


def assert_file_refused(report, *phrases):
    assert not report.ok and not report.applied
    assert report.errors == []
    assert report.text.startswith("The file was not imported: ")
    for phrase in phrases:
        assert phrase in report.file_error, report.file_error


# -- whole-file problems ---------------------------------------------------------------


@pytest.fixture
def state(oral):
    """The database before the import (a servant already there) — it must stay the same."""
    ServantFactory(agency=oral)
    return db_state()


def test_utf16_file_is_refused_with_advice(state):
    text = "\n".join(",".join(row) for row in [SERVANT_EN, servant(iins(2, 1)[0])])
    report = run_import("servants", text.encode("utf-16"), "servants.csv")
    assert_file_refused(report, "UTF-16", "UTF-8", "Windows-1251", "XLSX")
    assert db_state() == state


def test_utf16_without_bom_is_refused(state):
    text = "\n".join(",".join(row) for row in [SERVANT_EN, servant(iins(2, 1)[0])])
    report = run_import("servants", text.encode("utf-16-le"), "servants.csv")
    assert_file_refused(report, "not a text file", "CSV or XLSX")
    assert db_state() == state


def test_binary_garbage_is_refused(state):
    garbage = random.Random(3).randbytes(5000)
    report = run_import("servants", garbage, "servants.csv")
    assert_file_refused(report, "CSV")
    assert db_state() == state


def test_garbage_without_nul_bytes_is_not_taken_for_windows_1251(state):
    rng = random.Random(4)
    garbage = bytes(
        rng.choice([*range(1, 9), *range(14, 32), *range(0x80, 0x100)]) for _ in range(5000)
    )
    report = run_import("servants", garbage, "servants.csv")
    assert_file_refused(report, "encoding is not UTF-8 or Windows-1251")
    assert db_state() == state


def test_truncated_xlsx_is_refused(state):
    whole = xlsx_bytes([SERVANT_EN, servant(iins(5, 1)[0])])
    report = run_import("servants", whole[: len(whole) // 2], "servants.xlsx")
    assert_file_refused(report, "not a readable XLSX file", "damaged or truncated")
    assert db_state() == state


def test_a_zip_that_is_not_a_workbook_is_refused(state):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("servants.csv", "iin,last_name\n")
    report = run_import("servants", buffer.getvalue(), "servants.xlsx")
    assert_file_refused(report, "not a readable XLSX file")
    assert db_state() == state


def test_missing_required_columns_are_named(state):
    data = csv_bytes([["iin", "last_name", "first_name", "email"], [iins(6, 1)[0], "А", "Б", ""]])
    report = run_import("servants", data, "servants.csv")
    assert_file_refused(report, "Required columns are missing")
    for column in (
        "agency_code / Код органа",
        "position / Должность",
        "category / Категория",
        "appointed_on / Дата назначения",
    ):
        assert column in report.file_error
    for present_or_optional in ("iin /", "last_name", "first_name", "middle_name", "email"):
        assert present_or_optional not in report.file_error
    assert db_state() == state


def test_missing_columns_named_for_a_russian_file_too(state):
    data = csv_bytes(
        [["ИИН", "Год", "Оценка"], [iins(6, 1)[0], "2026", "эффективно"]], delimiter=";"
    )
    report = run_import("ratings", data, "ratings.csv")
    assert_file_refused(report, "quarter / Квартал")
    assert "year" not in report.file_error and "rating" not in report.file_error
    assert db_state() == state


def test_a_file_over_the_limit_is_refused(state):
    row = servant(iins(7, 1)[0])
    data = csv_bytes([SERVANT_EN] + [row] * 12000)
    assert 1.1 * 2**20 < len(data) < 1.4 * 2**20
    with override_settings(IMPORT_MAX_BYTES=2**20):
        report = run_import("servants", data, "servants.csv")
    assert_file_refused(report, "the limit is 1 MB")
    assert f"The file is {round(len(data) / 2**20, 1)} MB" in report.file_error
    assert db_state() == state


def test_a_file_at_the_limit_is_read(oral):
    data = good_servants_file(8, 2)
    with override_settings(IMPORT_MAX_BYTES=len(data)):
        report = run_import("servants", data, "servants.csv")
    assert report.ok, report.text


@pytest.mark.parametrize(
    "data", [b"", b"\r\n\r\n", b"   \n"], ids=["zero-bytes", "blank-lines", "spaces"]
)
def test_an_empty_file_is_refused(state, data):
    report = run_import("servants", data, "servants.csv")
    assert_file_refused(report, "The file is empty.")
    assert db_state() == state


@pytest.mark.parametrize(
    "data, name",
    [
        (csv_bytes([SERVANT_EN]), "servants.csv"),
        (csv_bytes([SERVANT_RU, [], []], delimiter=";", encoding="utf-8-sig"), "servants.csv"),
        (xlsx_bytes([SERVANT_EN]), "servants.xlsx"),
    ],
    ids=["csv", "csv-bom-blank-lines", "xlsx"],
)
def test_a_header_only_file_is_refused(state, data, name):
    report = run_import("servants", data, name)
    assert_file_refused(report, "has a header but no rows")
    assert report.rows == 0
    assert db_state() == state


def test_an_empty_workbook_is_refused(state):
    report = run_import("servants", xlsx_bytes([]), "servants.xlsx")
    assert_file_refused(report, "The spreadsheet is empty.")
    assert db_state() == state


def test_the_command_exits_1_on_a_bad_file(state, tmp_path):
    path = tmp_path / "servants.csv"
    path.write_bytes("iin,last_name\n".encode("utf-16"))
    out = io.StringIO()
    with translation.override("en"), pytest.raises(SystemExit) as exit_info:
        call_command("import_records", "servants", str(path), stdout=out)
    assert exit_info.value.code == 1
    assert out.getvalue().startswith("The file was not imported: The file is in UTF-16.")
    assert db_state() == state


# -- bad rows: all or nothing ----------------------------------------------------------


def test_three_good_rows_and_one_bad_row_import_nothing(state):
    a, b, c, d = iins(10, 4)
    data = csv_bytes([SERVANT_EN, servant(a), servant(b), servant(c, category="Z-9"), servant(d)])
    report = run_import("servants", data, "servants.csv")
    assert not report.ok and not report.applied
    assert errors_of(report) == [(4, "category")]
    assert report.lines == [
        "line 4, column category: Z-9 is not a corps B position category "
        "(for example C-O-3, D-2, E-R-1)."
    ]
    assert report.text == (
        "Nothing was imported: 1 of 4 rows have errors. Fix them and import the whole file again."
    )
    assert db_state() == state
    assert not CivilServant.objects.filter(iin__in=[a, b, d]).exists()


def test_every_bad_row_is_listed_with_its_line_and_column(state):
    good = iins(11, 3)
    bad_iin = good[0][:11] + str((int(good[0][11]) + 1) % 10)  # wrong control digit
    data = csv_bytes(
        [
            SERVANT_EN,
            servant(good[0]),  # line 2
            servant(bad_iin),  # line 3
            servant(good[1], appointed="31.02.2025"),  # line 4
            servant(good[2], agency="akimat-nowhere"),  # line 5
            servant(iins(12, 1)[0], last=""),  # line 6
            servant(iins(13, 1)[0], email="not-an-address"),  # line 7
            servant(
                "12345",
            ),  # line 8
        ]
    )
    report = run_import("servants", data, "servants.csv")
    assert errors_of(report) == [
        (3, "iin"),
        (4, "appointed_on"),
        (5, "agency_code"),
        (6, "last_name"),
        (7, "email"),
        (8, "iin"),
    ]
    assert report.text.startswith("Nothing was imported: 6 of 7 rows have errors.")
    lines = report.lines
    assert lines[0] == f"line 3, column iin: IIN {bad_iin} has a wrong control digit."
    assert lines[1] == (
        "line 4, column appointed_on: '31.02.2025' is not a date (use YYYY-MM-DD or DD.MM.YYYY)."
    )
    assert lines[2] == "line 5, column agency_code: no state body with code 'akimat-nowhere'"
    assert lines[3] == "line 6, column last_name: the last name is empty"
    assert lines[4] == "line 7, column email: 'not-an-address' is not an e-mail address"
    assert lines[5].startswith("line 8, column iin: IIN must have exactly 12 digits")
    assert db_state() == state


def test_line_numbers_count_blank_lines_like_the_file_does(oral, make_servant):
    a, b = iins(14, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    data = csv_bytes(
        [RATING_RU, [], [a, "2026", "1", "эффективно"], [], [b, "2026", "9", "тиімді"]],
        delimiter=";",
    )
    report = run_import("ratings", data, "ratings.csv")
    assert errors_of(report) == [(5, "quarter")]  # the 5th line of the file, blank ones counted
    assert PerformanceRating.objects.count() == 0


def test_xlsx_errors_name_the_spreadsheet_row(oral, make_servant):
    a, b = iins(15, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    data = xlsx_bytes(
        [
            RATING_EN,
            [int(a), 2026, 1, "effective"],  # row 2
            [],  # row 3, left empty
            [int(b), 2026, 5, "effective"],  # row 4
            [int(b), 1999, 1, "effective"],  # row 5
            [int(b), 2026, 2, "excellent"],  # row 6
        ]
    )
    before = db_state()
    report = run_import("ratings", data, "ratings.xlsx")
    assert errors_of(report) == [(4, "quarter"), (5, "year"), (6, "rating")]
    assert report.lines[0] == "line 4, column quarter: 5 is outside 1–4."
    assert report.lines[1] == "line 5, column year: 1999 is outside 2000–2100."
    assert report.lines[2].startswith("line 6, column rating: 'excellent' is not a rating")
    assert db_state() == before
    assert PerformanceRating.objects.count() == 0


def test_the_command_lists_every_bad_row_and_exits_1(state, tmp_path):
    a, b, c = iins(16, 3)
    path = tmp_path / "servants.csv"
    path.write_bytes(
        csv_bytes(
            [SERVANT_EN, servant(a), servant(b, appointed="yesterday"), servant(c, category="")]
        )
    )
    out = io.StringIO()
    with translation.override("en"), pytest.raises(SystemExit) as exit_info:
        call_command("import_records", "servants", str(path), stdout=out)
    assert exit_info.value.code == 1
    assert out.getvalue().splitlines() == [
        "line 3, column appointed_on: 'yesterday' is not a date (use YYYY-MM-DD or DD.MM.YYYY).",
        "line 4, column category:  is not a corps B position category "
        "(for example C-O-3, D-2, E-R-1).",
        "Nothing was imported: 2 of 3 rows have errors. Fix them and import the whole file again.",
    ]
    assert db_state() == state
    assert ImportBatch.objects.count() == 0


def test_the_command_dry_run_writes_nothing(oral, tmp_path):
    path = tmp_path / "servants.csv"
    path.write_bytes(good_servants_file(17, 3))
    before = db_state()
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_records", "servants", str(path), "--dry-run", stdout=out)
    assert out.getvalue().strip() == (
        "Check passed (nothing written yet): 3 new, 0 updated, 0 unchanged."
    )
    assert db_state() == before


def test_the_command_refuses_a_missing_file(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No such file"):
        call_command("import_records", "servants", str(tmp_path / "nope.csv"))


def test_the_size_message_never_says_the_file_is_under_the_limit(db):
    import re

    data = b"iin,year,quarter,rating\n" + b"0" * int(4.9 * 2**20)
    with override_settings(IMPORT_MAX_BYTES=5_000_000):
        report = run_import("ratings", data, "ratings.csv")
    size, limit = map(float, re.findall(r"(\d+(?:\.\d+)?) MB", report.file_error))
    assert size > limit, report.file_error
