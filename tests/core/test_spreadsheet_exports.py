"""Every spreadsheet the back office hands out neutralises formulas (issue 12, item 7),
Wagtail's built-in `?export=csv|xlsx` on listings included."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import ProgrammeFactory

FORMULA = '=HYPERLINK("http://x","y")'
PROGRAMMES = "/admin/snippets/courses/programme/"


@pytest.fixture
def booby_trapped(db):
    return ProgrammeFactory(code="TRAP", title_ru=FORMULA, title_kk="+1+1", title_en="@SUM(A1)")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["academy_manager", "hr_officer_a"])
def test_the_programmes_csv_export_writes_no_formula(client, booby_trapped, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(PROGRAMMES, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(_body(response).decode())))
    trap = next(row for row in rows if "TRAP" in row)
    assert "'" + FORMULA in trap and "'+1+1" in trap and "'@SUM(A1)" in trap
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.django_db
def test_the_programmes_xlsx_export_writes_no_formula(client, booby_trapped, academy_manager):
    client.force_login(academy_manager)
    response = client.get(PROGRAMMES, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(_body(response))).worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "'" + FORMULA in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
