"""Every file format an HR officer may upload: CSV in UTF-8 (with or without BOM) and
Windows-1251, comma or semicolon, English / Russian / Kazakh headers in any case, and XLSX."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from people.models import CivilServant, PerformanceRating, Position
from tests.records.helpers import (
    COMPLETION_RU,
    RATING_RU,
    SERVANT_EN,
    SERVANT_KK,
    SERVANT_RU,
    csv_bytes,
    db_state,
    iins,
    run_import,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def names_by_iin():
    return {
        s.iin: (s.last_name, s.first_name, s.middle_name, s.email, s.appointed_on)
        for s in CivilServant.objects.all()
    }


def test_utf8_comma_with_english_headers(oral):
    a, b, c = iins(1, 3)
    data = csv_bytes(
        [
            SERVANT_EN,
            [
                a,
                "Сейітқалиев",
                "Ерлан",
                "Болатұлы",
                "e.s@oral.kz",
                "akimat-oral",
                "Главный специалист",
                "E-G-3",
                "2025-03-01",
            ],
            [
                b,
                "Жұмағалиева",
                "Әсем",
                "",
                "",
                "akimat-oral",
                "Ведущий специалист",
                "E-G-4",
                "16.09.2024",
            ],
            [
                c,
                "Төлеубаев",
                "Нұрсұлтан",
                "Серікұлы",
                "",
                "akimat-oral",
                "Главный специалист",
                "E-G-3",
                "2023-01-10",
            ],
        ]
    )
    report = run_import("servants", data, "servants.csv")
    assert report.ok, report.lines
    assert (report.rows, report.new, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert report.text == "Imported: 3 new, 0 updated, 0 unchanged."
    assert names_by_iin() == {
        a: ("Сейітқалиев", "Ерлан", "Болатұлы", "e.s@oral.kz", datetime.date(2025, 3, 1)),
        b: ("Жұмағалиева", "Әсем", "", "", datetime.date(2024, 9, 16)),
        c: ("Төлеубаев", "Нұрсұлтан", "Серікұлы", "", datetime.date(2023, 1, 10)),
    }
    assert CivilServant.objects.get(iin=a).agency == oral


def test_utf8_with_bom_semicolon_and_russian_headers(oral):
    a, b = iins(2, 2)
    data = csv_bytes(
        [
            SERVANT_RU,
            [
                a,
                "Иванов",
                "Пётр",
                "Сергеевич",
                "",
                "akimat-oral",
                "Главный специалист",
                "E-G-3",
                "01.03.2025",
            ],
            [
                b,
                "Ахметова",
                "Әйгерім",
                "",
                "a@oral.kz",
                oral.bin,
                "Ведущий специалист",
                "E-G-4",
                "2024-09-16",
            ],
        ],
        delimiter=";",
        encoding="utf-8-sig",
    )
    assert data.startswith(b"\xef\xbb\xbf")
    report = run_import("servants", data, "servants.csv")
    assert report.ok, report.lines
    assert report.new == 2
    # The BOM glued to the first header ("\ufeffИИН") must not hide the IIN column.
    assert names_by_iin() == {
        a: ("Иванов", "Пётр", "Сергеевич", "", datetime.date(2025, 3, 1)),
        b: ("Ахметова", "Әйгерім", "", "a@oral.kz", datetime.date(2024, 9, 16)),
    }


def test_windows_1251_semicolon_russian_headers_and_dotted_dates(oral):
    a, b = iins(3, 2)
    data = csv_bytes(
        [
            SERVANT_RU,
            [
                a,
                "Кенжебаева",
                "Динара",
                "Ерлановна",
                "d.k@oral.example.kz",
                "akimat-oral",
                "Главный специалист",
                "E-G-3",
                "15.02.2025",
            ],
            [
                b,
                "Щербаков",
                "Юрий",
                "Эдуардович",
                "",
                "akimat-oral",
                "Ведущий специалист",
                "e-g-4",
                "31.12.2019",
            ],
        ],
        delimiter=";",
        encoding="cp1251",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Windows-1251, not UTF-8
    report = run_import("servants", data, "servants.csv")
    assert report.ok, report.lines
    assert report.new == 2
    assert names_by_iin() == {
        a: ("Кенжебаева", "Динара", "Ерлановна", "d.k@oral.example.kz", datetime.date(2025, 2, 15)),
        b: ("Щербаков", "Юрий", "Эдуардович", "", datetime.date(2019, 12, 31)),
    }
    assert set(Position.objects.values_list("title_ru", "category")) == {
        ("Главный специалист", "E-G-3"),
        ("Ведущий специалист", "E-G-4"),
    }


def test_kazakh_headers(oral):
    a, b = iins(4, 2)
    data = csv_bytes(
        [
            SERVANT_KK,
            [
                a,
                "Қасымов",
                "Асқар",
                "Серікұлы",
                "a.k@oral.kz",
                "akimat-oral",
                "Бас маман",
                "E-G-3",
                "2025-03-01",
            ],
            [
                b,
                "Оспанова",
                "Динара",
                "",
                "",
                "akimat-oral",
                "Жетекші маман",
                "E-G-4",
                "02.01.2024",
            ],
        ],
        delimiter=";",
    )
    report = run_import("servants", data, "қызметшілер.csv")
    assert report.ok, report.lines
    assert names_by_iin() == {
        a: ("Қасымов", "Асқар", "Серікұлы", "a.k@oral.kz", datetime.date(2025, 3, 1)),
        b: ("Оспанова", "Динара", "", "", datetime.date(2024, 1, 2)),
    }


def test_kazakh_headers_for_ratings(oral, make_servant):
    (a,) = iins(5, 1)
    make_servant(a, oral)
    data = csv_bytes([["ЖСН", "Жыл", "Тоқсан", "Бағалау"], [a, "2026", "1", "тиімді"]])
    report = run_import("ratings", data, "ratings.csv")
    assert report.ok, report.lines
    assert list(PerformanceRating.objects.values_list("year", "quarter", "rating")) == [
        (2026, 1, "effective")
    ]


def test_xlsx_with_numeric_iin_cells_and_real_date_cells(oral):
    a, b = iins(6, 2)
    data = xlsx_bytes(
        [
            SERVANT_RU,
            [
                int(a),
                "Иванов",
                "Пётр",
                None,
                None,
                "akimat-oral",
                "Главный специалист",
                "E-G-3",
                datetime.date(2025, 3, 1),
            ],
            # Some spreadsheets store whole numbers as floats and dates as date-times.
            [
                float(b),
                "Сейітова",
                "Әсел",
                "Маратқызы",
                "s@oral.kz",
                "akimat-oral",
                "Главный специалист",
                "E-G-3",
                datetime.datetime(2024, 9, 16, 0, 0),
            ],
        ]
    )
    report = run_import("servants", data, "servants.xlsx")
    assert report.ok, report.lines
    assert report.new == 2
    assert names_by_iin() == {
        a: ("Иванов", "Пётр", "", "", datetime.date(2025, 3, 1)),
        b: ("Сейітова", "Әсел", "Маратқызы", "s@oral.kz", datetime.date(2024, 9, 16)),
    }


def test_xlsx_is_recognised_by_content_whatever_its_name(oral, make_servant):
    (a,) = iins(7, 1)
    make_servant(a, oral)
    data = xlsx_bytes([["iin", "year", "quarter", "rating"], [int(a), 2026, 2, "proper"]])
    report = run_import("ratings", data, "upload.bin")
    assert report.ok, report.lines
    assert PerformanceRating.objects.get().rating == "proper"


def test_xlsx_ratings_with_numeric_year_and_quarter(oral, make_servant):
    a, b = iins(8, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    data = xlsx_bytes(
        [
            RATING_RU,
            [int(a), 2026, 1, "эффективно"],
            [int(b), 2026.0, 4.0, "Удовлетворительно"],
        ]
    )
    report = run_import("ratings", data, "ratings.xlsx")
    assert report.ok, report.lines
    assert set(
        PerformanceRating.objects.values_list("servant__iin", "year", "quarter", "rating")
    ) == {
        (a, 2026, 1, "effective"),
        (b, 2026, 4, "satisfactory"),
    }


def test_xlsx_numeric_iin_with_leading_zero(oral):
    iin = "000721666537"  # the IIN of docs/examples/servants-cp1251.csv
    assert int(iin) == 721666537  # what Excel keeps of it in a number cell
    data = xlsx_bytes(
        [
            SERVANT_EN,
            [
                int(iin),
                "Кенжебаева",
                "Динара",
                None,
                None,
                "akimat-oral",
                "Главный специалист",
                "E-G-3",
                datetime.date(2025, 2, 15),
            ],
        ]
    )
    report = run_import("servants", data, "servants.xlsx")
    assert report.ok, report.lines
    assert CivilServant.objects.filter(iin=iin).exists()


@pytest.mark.parametrize(
    "headers",
    [
        [
            "IIN",
            "LAST_NAME",
            "First_Name",
            "Middle_name",
            "EMAIL",
            "Agency_Code",
            "POSITION",
            "Category",
            "APPOINTED_ON",
        ],
        [
            "иин",
            "ФАМИЛИЯ",
            "имя",
            "ОТЧЕСТВО",
            "email",
            "КОД ОРГАНА",
            "должность",
            "КАТЕГОРИЯ",
            "  Дата   назначения ",
        ],
        [
            "жсн",
            "ТЕГІ",
            "аты",
            "Әкесінің Аты",
            "Электрондық Пошта",
            "ОРГАННЫҢ КОДЫ",
            "лауазым",
            "санат",
            "ТАҒАЙЫНДАЛҒАН КҮНІ",
        ],
    ],
    ids=["english", "russian", "kazakh"],
)
def test_headers_in_any_case(oral, headers):
    (a,) = iins(9, 1)
    data = csv_bytes(
        [
            headers,
            [
                a,
                "Иванов",
                "Пётр",
                "Ильич",
                "p@oral.kz",
                "AKIMAT-ORAL",
                "Главный специалист",
                "e-g-3",
                "2025-03-01",
            ],
        ],
        delimiter=";",
    )
    report = run_import("servants", data, "servants.csv")
    assert report.ok, (report.text, report.lines)
    assert names_by_iin() == {
        a: ("Иванов", "Пётр", "Ильич", "p@oral.kz", datetime.date(2025, 3, 1))
    }
    assert CivilServant.objects.get().position.category == "E-G-3"


def test_columns_may_come_in_any_order_with_extra_columns(oral):
    (a,) = iins(10, 1)
    data = csv_bytes(
        [
            [
                "Примечание",
                "Дата назначения",
                "Категория",
                "Должность",
                "Код органа",
                "Имя",
                "Фамилия",
                "ИИН",
            ],
            [
                "перевод",
                "2025-03-01",
                "E-G-3",
                "Главный специалист",
                "akimat-oral",
                "Пётр",
                "Иванов",
                a,
            ],
        ]
    )
    report = run_import("servants", data, "servants.csv")
    assert report.ok, report.lines
    assert names_by_iin() == {a: ("Иванов", "Пётр", "", "", datetime.date(2025, 3, 1))}


def test_semicolon_file_whose_cells_contain_commas(oral, make_servant):
    (a,) = iins(11, 1)
    make_servant(a, oral)
    data = csv_bytes(
        [
            COMPLETION_RU,
            [
                a,
                "",
                "Основы государственного аудита",
                "Академия государственного управления, Астана",
                "36",
                "20.11.2025",
                "AGU-1188",
            ],
        ],
        delimiter=";",
        encoding="utf-8-sig",
    )
    report = run_import("completions", data, "completions.csv")
    assert report.ok, report.lines
    from enrolments.models import QualificationRecord

    record = QualificationRecord.objects.get()
    assert record.provider == "Академия государственного управления, Астана"
    assert (record.hours, record.completed_on) == (36, datetime.date(2025, 11, 20))


def test_tab_separated_file(oral, make_servant):
    (a,) = iins(12, 1)
    make_servant(a, oral)
    data = csv_bytes([RATING_RU, [a, "2026", "3", "надлежащим образом"]], delimiter="\t")
    report = run_import("ratings", data, "ratings.txt")
    assert report.ok, report.lines
    assert PerformanceRating.objects.get().rating == "proper"


def test_blank_lines_are_skipped(oral, make_servant):
    a, b = iins(13, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    data = csv_bytes(
        [
            RATING_RU,
            [a, "2026", "1", "effective"],
            [],
            ["", "", "", ""],
            [b, "2026", "1", "proper"],
            [],
        ],
        delimiter=";",
    )
    report = run_import("ratings", data, "ratings.csv")
    assert report.ok, report.lines
    assert (report.rows, report.new) == (2, 2)


def test_dry_run_checks_and_counts_but_writes_nothing(oral):
    a, b = iins(14, 2)
    data = csv_bytes(
        [SERVANT_EN]
        + [
            [
                iin,
                "Иванов",
                "Пётр",
                "",
                "",
                "akimat-oral",
                "Главный специалист",
                "E-G-3",
                "2025-03-01",
            ]
            for iin in (a, b)
        ]
    )
    before = db_state()
    report = run_import("servants", data, "servants.csv", dry_run=True)
    assert report.ok and not report.applied
    assert report.new == 2
    assert report.text == "Check passed (nothing written yet): 2 new, 0 updated, 0 unchanged."
    assert db_state() == before


def test_the_documented_example_files_import(oral):
    """docs/examples is what we hand to HR departments: every file must import as is."""
    for kind, name in [
        ("servants", "servants.csv"),
        ("servants", "servants-cp1251.csv"),
        ("ratings", "ratings.csv"),
        ("ratings", "ratings.xlsx"),
        ("completions", "completions.csv"),
        ("competitions", "competitions.csv"),
    ]:
        report = run_import(kind, (EXAMPLES / name).read_bytes(), name)
        assert report.ok, (name, report.text, report.lines)
        assert report.new == report.rows > 0, name
    assert CivilServant.objects.count() == 4
    assert CivilServant.objects.get(iin="000721666537").last_name == "Кенжебаева"
    assert PerformanceRating.objects.count() == 6
    # the command reads the same files; a second run changes nothing
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_records", "servants", str(EXAMPLES / "servants.csv"), stdout=out)
    assert out.getvalue().strip() == "Imported: 0 new, 0 updated, 3 unchanged."
