"""XLSX and CSV bombs are refused in seconds with bounded memory (issue 12, item 4): through
the admin import screen with a real HR officer's login, and through `manage.py import_records`.

Memory is the growth of the process's peak RSS (VmHWM, reset through /proc/self/clear_refs)
over its RSS before the import; the bound is generous (the bombs took 3.4 GB before)."""

import io
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook

from core.tabular import ImportFileError, read_table
from tests.conftest import admin_in_english
from tests.core import bombs
from tests.factories import ServantFactory

MEMORY_BOUND_MB = 250
SECONDS_BOUND = 30  # a refusal takes well under a second here; this only catches a runaway


def _status_mb(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) // 1024
    raise LookupError(key)


def measure(action):
    """(result, seconds, peak RSS growth in MB) of calling `action`."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets VmHWM to the current RSS
    before = _status_mb("VmRSS")
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started, _status_mb("VmHWM") - before


@pytest.fixture(scope="module")
def bomb_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bombs")


BOMBS = {
    # name: (builder, what the refusal says)
    "inflating.xlsx": (bombs.inflating_bomb, "Unpacked, the spreadsheet would take"),
    "3m-rows.xlsx": (bombs.many_rows, "compressed"),
    "wide.xlsx": (bombs.wide_xlsx, "compressed"),
    "far-cell.xlsx": (bombs.far_cell_xlsx, "more than 200000 rows"),
    "10mb-cell.csv": (lambda p: p.write_bytes(bombs.csv_long_cell()), "longer than 2000"),
    "wide.csv": (lambda p: p.write_bytes(bombs.csv_wide()), "more than 100 columns"),
    "3m-rows.csv": (lambda p: p.write_bytes(bombs.csv_many_rows()), "more than 200000 rows"),
}


@pytest.fixture(scope="module")
def bomb_files(bomb_dir) -> dict[str, Path]:
    files = {}
    for name, (build, _message) in BOMBS.items():
        build(bomb_dir / name)
        files[name] = bomb_dir / name
    assert (bomb_dir / "inflating.xlsx").stat().st_size < 2 * 2**20
    return files


def _login(client, user) -> None:
    """The real admin login form, not force_login."""
    response = client.post(
        "/admin/login/", {"username": user.username, "password": "pw-for-tests-1"}
    )
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(BOMBS))
def test_the_import_screen_refuses_each_bomb_quickly_in_bounded_memory(
    client, hr_officer_a, bomb_files, name
):
    admin_in_english(hr_officer_a)
    _login(client, hr_officer_a)
    upload = SimpleUploadedFile(name, bomb_files[name].read_bytes())
    response, seconds, growth = measure(
        lambda: client.post(
            "/admin/records/import/", {"resource": "ratings", "import_file": upload}
        )
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The file was not imported" in body and BOMBS[name][1] in body
    assert response.context["token"] == ""  # nothing kept for a confirmation
    print(f"admin import {name}: {seconds:.2f} s, peak RSS +{growth} MB")
    assert growth < MEMORY_BOUND_MB and seconds < SECONDS_BOUND


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(BOMBS))
def test_import_records_refuses_each_bomb_quickly_in_bounded_memory(bomb_files, name):
    out = io.StringIO()

    def run():
        with pytest.raises(SystemExit) as exit_, translation.override("en"):
            call_command("import_records", "ratings", str(bomb_files[name]), stdout=out)
        return exit_.value.code

    code, seconds, growth = measure(run)
    assert code == 1
    assert BOMBS[name][1] in out.getvalue()
    print(f"import_records {name}: {seconds:.2f} s, peak RSS +{growth} MB")
    assert growth < MEMORY_BOUND_MB and seconds < SECONDS_BOUND


@override_settings(IMPORT_MAX_COMPRESSION_RATIO=10**6, IMPORT_MAX_UNCOMPRESSED_BYTES=2**31)
@pytest.mark.parametrize(
    "name, message",
    [
        ("inflating.xlsx", "Line 2 has a cell longer than 2000 characters."),
        ("3m-rows.xlsx", "The file has more than 200000 rows."),
        ("wide.xlsx", "Line 2 has more than 100 columns."),
    ],
)
def test_past_the_zip_checks_the_streaming_scan_stops_each_bomb(bomb_files, name, message):
    with pytest.raises(ImportFileError, match=message), translation.override("en"):
        _, seconds, growth = measure(lambda: read_table(bomb_files[name].read_bytes(), name))
    print(name, "past the zip checks: refused by the scan")


def _xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("s")
    for row in rows:
        sheet.append(row)
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


@override_settings(IMPORT_MAX_ROWS=50, IMPORT_MAX_COLUMNS=4, IMPORT_MAX_CELL_CHARS=12)
@translation.override("en")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_at_the_limits_reads_and_one_more_is_refused(fmt):
    def data(rows: int, columns: int = 4, chars: int = 12) -> bytes:
        table = [["iin", "year", "quarter", "rating", "x"][:columns]]
        table += [["A" * chars, 2026, 1, "эффективно", "x"][:columns] for _ in range(rows)]
        if fmt == "xlsx":
            return _xlsx(table)
        return "\n".join(",".join(map(str, row)) for row in table).encode()

    def read(payload):
        table = read_table(payload, f"f.{fmt}")
        return table.headers, list(table.rows)

    headers, rows = read(data(50))
    assert len(headers) == 4 and len(rows) == 50
    for payload, message in [
        (data(51), "more than 50 rows"),
        (data(50, columns=5), "more than 4 columns"),
        (data(50, chars=13), "longer than 12 characters"),
    ]:
        with pytest.raises(ImportFileError, match=message):
            read(payload)


@pytest.mark.django_db
def test_a_real_xlsx_of_thousands_of_rows_still_imports(client, hr_officer_a, agency_a):
    admin_in_english(hr_officer_a)
    servants = ServantFactory.create_batch(50, agency=agency_a)
    rows = [["iin", "year", "quarter", "rating"]]
    rows += [[s.iin, year, q, "эффективно"] for s in servants for year in range(2016, 2026)
             for q in (1, 2, 3, 4)]  # fmt: skip
    _login(client, hr_officer_a)
    upload = SimpleUploadedFile("ratings.xlsx", _xlsx(rows))
    response = client.post("/admin/records/import/", {"resource": "ratings", "import_file": upload})
    assert "Check passed (nothing written yet): 2000 new" in response.content.decode()
