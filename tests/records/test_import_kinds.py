"""What each kind of import writes: servants (and their positions), ratings, completed
trainings (as qualification records) and competitions; and that importing the same file
twice changes nothing."""

import datetime

import pytest
from django.utils import timezone, translation

from core.models import ImportBatch
from enrolments.models import QualificationRecord
from people.models import CivilServant, PerformanceRating, Position, Rating
from promotions.models import Competition
from tests.factories import PositionFactory, ProgrammeFactory, UserFactory
from tests.records.helpers import (
    COMPETITION_EN,
    COMPETITION_RU,
    COMPLETION_EN,
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


# -- servants ------------------------------------------------------------------------------


def test_servants_create_positions_as_needed(oral, agency_b):
    existing = PositionFactory(agency=oral, title_ru="Главный специалист", category="E-G-3")
    a, b, c, d, e = iins(20, 5)
    data = csv_bytes(
        [
            SERVANT_EN,
            servant(a, position="Главный специалист"),
            servant(b, position="ГЛАВНЫЙ СПЕЦИАЛИСТ"),  # the same position, other case
            servant(c, position="Ведущий специалист", category="E-G-4"),
            servant(d, position="ведущий специалист", category="E-G-4"),
            servant(e, position="Главный специалист", category="E-G-2"),  # other category
        ]
    )
    report = run_import("servants", data, "servants.csv")
    assert report.ok, report.lines
    assert Position.objects.count() == 3
    by_iin = {s.iin: s.position for s in CivilServant.objects.select_related("position")}
    assert by_iin[a] == by_iin[b] == existing
    assert by_iin[c] == by_iin[d] != existing
    assert (by_iin[c].agency, by_iin[c].title_ru, by_iin[c].category) == (
        oral,
        "Ведущий специалист",
        "E-G-4",
    )
    assert (by_iin[e].title_ru, by_iin[e].category) == ("Главный специалист", "E-G-2")
    assert not Position.objects.filter(agency=agency_b).exists()


def test_a_position_of_another_agency_is_not_reused(oral, agency_b):
    theirs = PositionFactory(agency=agency_b, title_ru="Главный специалист", category="E-G-3")
    (a,) = iins(21, 1)
    report = run_import("servants", csv_bytes([SERVANT_EN, servant(a)]), "servants.csv")
    assert report.ok, report.lines
    mine = CivilServant.objects.get(iin=a).position
    assert mine != theirs and mine.agency == oral


def test_new_servant_fields(oral):
    (a,) = iins(22, 1)
    data = csv_bytes(
        [
            SERVANT_RU,
            servant(
                a,
                "Ахметов",
                "Ерлан",
                middle="Серікұлы",
                email="e.a@oral.kz",
                appointed="01.03.2025",
            ),
        ]
    )
    report = run_import("servants", data, "servants.csv")
    assert report.ok, report.lines
    person = CivilServant.objects.get(iin=a)
    assert (person.last_name, person.first_name, person.middle_name, person.email) == (
        "Ахметов",
        "Ерлан",
        "Серікұлы",
        "e.a@oral.kz",
    )
    assert person.appointed_on == person.first_appointed_on == datetime.date(2025, 3, 1)
    assert person.agency == oral


def test_duplicate_iin_in_the_file_names_the_first_line(oral):
    a, b = iins(23, 2)
    data = csv_bytes([SERVANT_EN, servant(a), servant(b), servant(a, "Петров")])
    report = run_import("servants", data, "servants.csv")
    assert errors_of(report) == [(4, "iin")]
    assert report.lines == [f"line 4, column iin: IIN {a} already appeared on line 2."]
    assert CivilServant.objects.count() == 0 and Position.objects.count() == 0


def test_changed_servant_is_updated_and_its_timestamp_moves(oral, make_servant):
    a, b = iins(24, 2)
    data = csv_bytes([SERVANT_EN, servant(a, email="old@oral.kz"), servant(b)])
    assert run_import("servants", data, "servants.csv").ok
    before = CivilServant.objects.get(iin=a)
    data = csv_bytes(
        [
            SERVANT_EN,
            servant(a, email="new@oral.kz", position="Руководитель отдела", category="E-G-2"),
            servant(b),
        ]
    )
    report = run_import("servants", data, "servants.csv")
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    after = CivilServant.objects.get(iin=a)
    assert after.email == "new@oral.kz"
    assert (after.position.title_ru, after.position.category) == ("Руководитель отдела", "E-G-2")
    assert after.first_appointed_on == before.first_appointed_on
    assert after.updated_at > before.updated_at
    assert CivilServant.objects.get(iin=b).updated_at < after.updated_at


def test_a_successful_import_is_logged(oral):
    user = UserFactory(username="importer", is_superuser=True, is_staff=True)
    data = csv_bytes([SERVANT_EN] + [servant(iin) for iin in iins(25, 3)])
    assert run_import("servants", data, "servants.csv", user=user).ok
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.user, batch.rows, batch.new, batch.updated, batch.unchanged) == (
        "servants",
        user,
        3,
        3,
        0,
        0,
    )


# -- ratings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, code",
    [
        ("effective", "effective"),
        ("PROPER", "proper"),
        ("эффективно", "effective"),
        ("Надлежащим образом", "proper"),
        ("удовлетворительно", "satisfactory"),
        ("неудовлетворительно", "unsatisfactory"),
        ("выполняет функциональные обязанности эффективно", "effective"),
        ("тиімді", "effective"),
        ("тиісінше", "proper"),
        ("қанағаттанарлық", "satisfactory"),
        ("қанағаттанарлықсыз", "unsatisfactory"),
        ("функционалдық міндеттерін тиісінше орындайды", "proper"),
    ],
)
def test_ratings_accept_code_russian_and_kazakh_wording(oral, make_servant, written, code):
    (a,) = iins(30, 1)
    make_servant(a, oral)
    report = run_import(
        "ratings", csv_bytes([RATING_RU, [a, "2026", "2", written]], delimiter=";"), "ratings.csv"
    )
    assert report.ok, report.lines
    assert list(
        PerformanceRating.objects.values_list("servant__iin", "year", "quarter", "rating")
    ) == [(a, 2026, 2, code)]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_ratings_accept_the_wording_the_site_shows(oral, make_servant, language):
    """What a user copies from the site (the rating's label in their language) imports."""
    people = iins(31, 4)
    rows = [RATING_EN]
    for iin, choice in zip(people, Rating, strict=True):
        make_servant(iin, oral)
        with translation.override(language):
            rows.append([iin, "2025", "4", str(choice.label)])
    report = run_import("ratings", csv_bytes(rows), "ratings.csv")
    assert report.ok, report.lines
    assert dict(PerformanceRating.objects.values_list("servant__iin", "rating")) == dict(
        zip(people, Rating.values, strict=True)
    )


def test_ratings_duplicate_quarter_names_the_first_line(oral, make_servant):
    a, b = iins(32, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    data = csv_bytes(
        [
            RATING_EN,
            [a, "2026", "1", "effective"],
            [b, "2026", "1", "proper"],
            [a, "2026", "2", "proper"],
            [a, "2026", "1", "proper"],
        ]
    )
    report = run_import("ratings", data, "ratings.csv")
    assert errors_of(report) == [(5, "quarter")]
    assert report.lines == ["line 5, column quarter: this quarter is already rated on line 2"]
    assert PerformanceRating.objects.count() == 0


def test_ratings_unknown_iin(oral, make_servant):
    a, stranger = iins(33, 2)
    make_servant(a, oral)
    data = csv_bytes([RATING_EN, [a, "2026", "1", "effective"], [stranger, "2026", "1", "proper"]])
    report = run_import("ratings", data, "ratings.csv")
    assert report.lines == [
        f"line 3, column iin: no civil servant with IIN {stranger} in the state bodies you may "
        "import for"
    ]
    assert PerformanceRating.objects.count() == 0


def test_ratings_changed_value_is_updated(oral, make_servant):
    a, b = iins(34, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    first = csv_bytes([RATING_EN, [a, "2026", "1", "effective"], [b, "2026", "1", "proper"]])
    assert run_import("ratings", first, "ratings.csv").new == 2
    second = csv_bytes(
        [
            RATING_EN,
            [a, "2026", "1", "satisfactory"],
            [b, "2026", "1", "proper"],
            [b, "2026", "2", "proper"],
        ]
    )
    report = run_import("ratings", second, "ratings.csv")
    assert (report.new, report.updated, report.unchanged) == (1, 1, 1)
    assert PerformanceRating.objects.get(servant__iin=a).rating == "satisfactory"
    assert PerformanceRating.objects.count() == 3


# -- completions ---------------------------------------------------------------------------


def completion(
    iin,
    title="Основы государственного аудита",
    provider="Академия",
    hours="36",
    completed="2025-11-20",
    certificate="",
    code="",
):
    return [iin, code, title, provider, hours, completed, certificate]


def test_completions_become_imported_qualification_records(oral, make_servant):
    a, b = iins(40, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    user = UserFactory(username="records-admin", is_superuser=True, is_staff=True)
    data = csv_bytes(
        [
            COMPLETION_EN,
            completion(a, certificate="AGU-1188"),
            completion(
                b, "Цифровая трансформация", "НАО «Правительство для граждан»", "24", "12.05.2025"
            ),
        ]
    )
    report = run_import("completions", data, "completions.csv", user=user)
    assert report.ok, report.lines
    first = QualificationRecord.objects.get(servant__iin=a)
    assert (first.source, first.is_current, first.title, first.provider, first.hours) == (
        "import",
        True,
        "Основы государственного аудита",
        "Академия",
        36,
    )
    assert first.completed_on == datetime.date(2025, 11, 20)
    assert first.valid_until == datetime.date(2028, 11, 20)  # three years by default
    assert first.certificate_number == "AGU-1188"
    assert first.created_by == user
    second = QualificationRecord.objects.get(servant__iin=b)
    assert (second.hours, second.completed_on, second.source) == (
        24,
        datetime.date(2025, 5, 12),
        "import",
    )


def test_completions_with_a_programme_code(oral, make_servant):
    (a,) = iins(41, 1)
    make_servant(a, oral)
    programme = ProgrammeFactory(
        code="PRG-777", title_ru="Противодействие коррупции", validity_years=5
    )
    data = csv_bytes([COMPLETION_EN, completion(a, title="", code="prg-777", hours="72")])
    report = run_import("completions", data, "completions.csv")
    assert report.ok, report.lines
    record = QualificationRecord.objects.get()
    assert record.programme == programme
    # the title in every language of the programme
    assert (record.title_kk, record.title_ru) == (programme.title_kk, "Противодействие коррупции")
    assert record.title_en == programme.title_en
    assert record.valid_until == datetime.date(2030, 11, 20)


def test_completions_changed_hours_supersede_the_old_record(oral, make_servant):
    a, b = iins(42, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    assert (
        run_import(
            "completions",
            csv_bytes([COMPLETION_EN, completion(a), completion(b)]),
            "completions.csv",
        ).new
        == 2
    )
    old = QualificationRecord.objects.get(servant__iin=a)
    changed = csv_bytes([COMPLETION_EN, completion(a, hours="40"), completion(b)])
    report = run_import("completions", changed, "completions.csv")
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    assert QualificationRecord.objects.filter(servant__iin=a).count() == 2
    old.refresh_from_db()
    assert old.is_current is False and old.hours == 36  # kept for the history
    new = QualificationRecord.objects.get(servant__iin=a, is_current=True)
    assert new.hours == 40 and new.supersedes == old and new.source == "import"
    assert new.get_correction_reason_display()
    # and the corrected file is now the state of things
    again = run_import("completions", changed, "completions.csv")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert QualificationRecord.objects.count() == 3


def test_completions_row_errors(oral, make_servant):
    a, b = iins(43, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = csv_bytes(
        [
            COMPLETION_EN,
            completion(a),  # 2
            completion(a, completed=tomorrow.isoformat()),  # 3
            completion(b, code="NOPE-1"),  # 4
            completion(b, hours="0"),  # 5
            completion(b, provider=""),  # 6
            completion(a, hours="40"),  # 7: the same training as line 2
        ]
    )
    report = run_import("completions", data, "completions.csv")
    assert errors_of(report) == [
        (3, "completed_on"),
        (4, "programme_code"),
        (5, "hours"),
        (6, "provider"),
        (7, "programme_title"),
    ]
    assert report.lines[0] == "line 3, column completed_on: the date is in the future"
    assert report.lines[1] == "line 4, column programme_code: no programme with code NOPE-1"
    assert report.lines[4] == (
        "line 7, column programme_title: the same training already appears on line 2"
    )
    assert QualificationRecord.objects.count() == 0


# -- competitions --------------------------------------------------------------------------


def test_competitions_in_russian(oral, make_servant):
    a, b = iins(50, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    data = csv_bytes(
        [
            COMPETITION_RU,
            [
                "akimat-oral",
                "Руководитель отдела",
                "E-G-2",
                "14.04.2026",
                "Внутренний",
                "назначен на вышестоящую",
                a,
            ],
            [oral.bin, "Главный специалист", "e-g-3", "2026-05-20", "общий", "Назначен", b],
            [
                "akimat-oral",
                "Ведущий специалист",
                "E-G-4",
                "2026-06-02",
                "общий",
                "не состоялся",
                "",
            ],
            [
                "akimat-oral",
                "Ведущий специалист",
                "E-G-4",
                "2026-06-09",
                "жалпы",
                "өткізілмеді",
                "",
            ],
        ],
        delimiter=";",
        encoding="utf-8-sig",
    )
    report = run_import("competitions", data, "competitions.csv")
    assert report.ok, report.lines
    assert set(
        Competition.objects.values_list(
            "position_title",
            "category",
            "held_on",
            "kind",
            "outcome",
            "winner__iin",
            "agency__code",
        )
    ) == {
        (
            "Руководитель отдела",
            "E-G-2",
            datetime.date(2026, 4, 14),
            "internal",
            "promoted",
            a,
            "akimat-oral",
        ),
        (
            "Главный специалист",
            "E-G-3",
            datetime.date(2026, 5, 20),
            "general",
            "appointed",
            b,
            "akimat-oral",
        ),
        (
            "Ведущий специалист",
            "E-G-4",
            datetime.date(2026, 6, 2),
            "general",
            "failed",
            None,
            "akimat-oral",
        ),
        (
            "Ведущий специалист",
            "E-G-4",
            datetime.date(2026, 6, 9),
            "general",
            "failed",
            None,
            "akimat-oral",
        ),
    }


def test_competitions_in_xlsx_with_a_numeric_winner_iin(oral, make_servant):
    (a,) = iins(51, 1)
    make_servant(a, oral)
    data = xlsx_bytes(
        [
            COMPETITION_EN,
            [
                "akimat-oral",
                "Руководитель отдела",
                "E-G-2",
                datetime.date(2026, 4, 14),
                "internal",
                "promoted",
                int(a),
            ],
        ]
    )
    report = run_import("competitions", data, "competitions.xlsx")
    assert report.ok, report.lines
    assert Competition.objects.get().winner.iin == a


def test_competitions_row_errors(oral, make_servant):
    a, stranger = iins(52, 2)
    make_servant(a, oral)

    def row(title, outcome="назначен", winner="", kind="общий", held="2026-05-20"):
        return ["akimat-oral", title, "E-G-3", held, kind, outcome, winner]

    data = csv_bytes(
        [
            COMPETITION_EN,
            row("Главный специалист", winner=a),  # 2: fine
            row("Ведущий специалист", winner=stranger),  # 3: the winner does not exist
            row("Специалист", outcome="не состоялся", winner=a),  # 4: failed, yet a winner
            row("Эксперт", kind="открытый"),  # 5
            row("Консультант", outcome="отменён"),  # 6
            row("главный специалист", winner=a),  # 7: the same competition as line 2
        ]
    )
    report = run_import("competitions", data, "competitions.csv")
    assert errors_of(report) == [
        (3, "winner_iin"),
        (4, "winner_iin"),
        (5, "kind"),
        (6, "outcome"),
        (7, "position"),
    ]
    assert report.lines[0] == (
        f"line 3, column winner_iin: no civil servant with IIN {stranger} in the state bodies "
        "you may import for"
    )
    assert report.lines[1] == (
        "line 4, column winner_iin: a competition that did not take place has no winner"
    )
    assert report.lines[4] == (
        "line 7, column position: the same competition already appears on line 2"
    )
    assert Competition.objects.count() == 0


def test_competitions_changed_outcome_is_updated(oral, make_servant):
    (a,) = iins(53, 1)
    make_servant(a, oral)
    row = ["akimat-oral", "Главный специалист", "E-G-3", "2026-05-20", "general"]
    assert (
        run_import("competitions", csv_bytes([COMPETITION_EN, row + ["failed", ""]]), "c.csv").new
        == 1
    )
    report = run_import(
        "competitions", csv_bytes([COMPETITION_EN, row + ["appointed", a]]), "c.csv"
    )
    assert (report.new, report.updated, report.unchanged) == (0, 1, 0)
    competition = Competition.objects.get()
    assert (competition.outcome, competition.winner.iin) == ("appointed", a)


# -- the same file twice -------------------------------------------------------------------


def _servants_file(people):
    return csv_bytes(
        [SERVANT_RU]
        + [
            servant(iin, position=f"Должность {n % 2}", email=f"p{n}@oral.kz", middle="Ильич")
            for n, iin in enumerate(people)
        ],
        delimiter=";",
        encoding="cp1251",
    )


def _ratings_file(people):
    return xlsx_bytes(
        [RATING_RU] + [[int(iin), 2026, 1 + n % 4, "эффективно"] for n, iin in enumerate(people)]
    )


def _completions_file(people):
    return csv_bytes(
        [COMPLETION_EN] + [completion(iin, certificate=f"C-{n}") for n, iin in enumerate(people)]
    )


def _competitions_file(people):
    return csv_bytes(
        [COMPETITION_EN]
        + [
            ["akimat-oral", f"Должность {n}", "E-G-3", "2026-05-20", "general", "appointed", iin]
            for n, iin in enumerate(people)
        ]
    )


@pytest.mark.parametrize(
    "kind, build",
    [
        ("servants", _servants_file),
        ("ratings", _ratings_file),
        ("completions", _completions_file),
        ("competitions", _competitions_file),
    ],
)
def test_the_same_file_twice_changes_nothing(oral, make_servant, kind, build):
    people = iins(60, 5)
    if kind != "servants":
        for iin in people:
            make_servant(iin, oral)
    data = build(people)
    first = run_import(kind, data, "file.xlsx" if kind == "ratings" else "file.csv")
    assert first.ok, first.lines
    assert (first.new, first.updated, first.unchanged) == (5, 0, 0)
    after_first = db_state()
    second = run_import(kind, data, "file.xlsx" if kind == "ratings" else "file.csv")
    assert (second.new, second.updated, second.unchanged) == (0, 0, 5)
    assert second.text == "Imported: 0 new, 0 updated, 5 unchanged."
    after_second = db_state()
    batches = after_second.pop("ImportBatch")
    after_first.pop("ImportBatch")
    assert after_second == after_first  # every field of every row, updated_at included
    assert len(batches) == 2
