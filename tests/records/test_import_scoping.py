"""An HR officer imports and exports for their own state body only; `--agency` limits the
command the same way."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from cms.records import export_spec
from core import authorization as roles
from core.exporting import csv_chunks
from core.models import ImportBatch
from courses.models import ProgrammeKind
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord, RecordSource
from people.models import CivilServant, PerformanceRating
from promotions.models import Competition
from tests.factories import RatingFactory, SessionFactory, UserFactory, hr_officer_for
from tests.records.helpers import (
    COMPETITION_EN,
    COMPLETION_EN,
    RATING_EN,
    SERVANT_EN,
    csv_bytes,
    db_state,
    errors_of,
    iins,
    run_import,
)

pytestmark = pytest.mark.django_db

REFUSED = "this row belongs to a state body you may not import for"
# A person of another state body is answered like a person nobody has (issue 12, finding 2).
UNKNOWN = "no civil servant with IIN {iin} in the state bodies you may import for"


def servant(iin, agency, last="Иванов"):
    return [iin, last, "Пётр", "", "", agency, "Главный специалист", "E-G-3", "2025-03-01"]


@pytest.fixture
def people(agency_a, agency_b, make_servant):
    """Two servants of A and one of B, with known IINs."""
    a1, a2, b1 = iins(70, 3)
    make_servant(a1, agency_a)
    make_servant(a2, agency_a)
    make_servant(b1, agency_b)
    return a1, a2, b1


def files(agency_a, agency_b, people):
    a1, a2, b1 = people
    return {
        "servants": (
            csv_bytes(
                [
                    SERVANT_EN,
                    servant(iins(71, 1)[0], "akimat-a"),
                    servant(a1, "akimat-a", "Новая"),
                    servant(iins(72, 1)[0], "akimat-b"),
                ]
            ),
            4,
            "agency_code",
        ),
        "ratings": (
            csv_bytes(
                [
                    RATING_EN,
                    [a1, "2026", "1", "effective"],
                    [a2, "2026", "1", "proper"],
                    [b1, "2026", "1", "proper"],
                ]
            ),
            4,
            "iin",
        ),
        "completions": (
            csv_bytes(
                [
                    COMPLETION_EN,
                    [a1, "", "Аудит", "Академия", "36", "2025-11-20", ""],
                    [b1, "", "Аудит", "Академия", "36", "2025-11-20", ""],
                    [a2, "", "Аудит", "Академия", "36", "2025-11-20", ""],
                ]
            ),
            3,
            "iin",
        ),
        "competitions": (
            csv_bytes(
                [
                    COMPETITION_EN,
                    ["akimat-a", "Эксперт", "E-G-3", "2026-05-20", "general", "appointed", a1],
                    ["akimat-b", "Эксперт", "E-G-3", "2026-05-20", "general", "failed", ""],
                ]
            ),
            3,
            "agency_code",
        ),
    }


@pytest.mark.parametrize("kind", ["servants", "ratings", "completions", "competitions"])
def test_hr_officer_cannot_import_a_row_of_another_agency(
    agency_a, agency_b, people, hr_officer_a, kind
):
    data, bad_line, column = files(agency_a, agency_b, people)[kind]
    before = db_state()
    report = run_import(kind, data, f"{kind}.csv", user=hr_officer_a)
    assert errors_of(report) == [(bad_line, column)]
    reason = UNKNOWN.format(iin=people[2]) if column == "iin" else REFUSED
    assert report.lines == [f"line {bad_line}, column {column}: {reason}"]
    assert report.text.startswith("Nothing was imported: 1 of")
    assert db_state() == before


@pytest.mark.parametrize("kind", ["servants", "ratings", "completions", "competitions"])
def test_an_officer_of_both_agencies_may_import_the_same_files(agency_a, agency_b, people, kind):
    both = hr_officer_for(agency_a, agency_b, username="hr-both")
    data, _line, _column = files(agency_a, agency_b, people)[kind]
    report = run_import(kind, data, f"{kind}.csv", user=both)
    assert report.ok, report.lines


def test_hr_officer_imports_their_own_agency(agency_a, agency_b, people, hr_officer_a):
    a1, a2, _b1 = people
    data = csv_bytes([RATING_EN, [a1, "2026", "1", "effective"], [a2, "2026", "1", "proper"]])
    report = run_import("ratings", data, "ratings.csv", user=hr_officer_a)
    assert report.ok and report.new == 2
    assert ImportBatch.objects.get().user == hr_officer_a


def test_a_user_without_an_hr_role_may_import_nothing(agency_a, people):
    nobody = UserFactory(username="someone", role=roles.CIVIL_SERVANTS)
    a1, a2, _b1 = people
    data = csv_bytes([RATING_EN, [a1, "2026", "1", "effective"], [a2, "2026", "1", "proper"]])
    with pytest.raises(PermissionDenied):
        run_import("ratings", data, "ratings.csv", user=nobody)
    assert PerformanceRating.objects.count() == 0


def test_hr_officer_cannot_take_over_a_servant_of_another_agency(
    agency_a, agency_b, people, hr_officer_a
):
    _a1, _a2, b1 = people
    before = CivilServant.objects.get(iin=b1)
    data = csv_bytes([SERVANT_EN, servant(b1, "akimat-a", last="Захвачен")])
    report = run_import("servants", data, "servants.csv", user=hr_officer_a)
    after = CivilServant.objects.get(iin=b1)
    assert (after.agency_id, after.last_name) == (before.agency_id, before.last_name)
    assert errors_of(report) == [(2, "iin")] or errors_of(report) == [(2, "agency_code")]


def test_agency_code_limits_the_importer_by_code_or_bin(agency_a, agency_b, people):
    data, bad_line, column = files(agency_a, agency_b, people)["ratings"]
    for code in ("akimat-a", agency_a.bin):
        report = run_import("ratings", data, "ratings.csv", agency_code=code)
        assert errors_of(report) == [(bad_line, column)], code
    assert PerformanceRating.objects.count() == 0


def test_command_agency_option_refuses_other_agencies_rows(agency_a, agency_b, people, tmp_path):
    data, bad_line, column = files(agency_a, agency_b, people)["servants"]
    path = tmp_path / "servants.csv"
    path.write_bytes(data)
    before = db_state()
    out = io.StringIO()
    with translation.override("en"), pytest.raises(SystemExit) as exit_info:
        call_command("import_records", "servants", str(path), "--agency", "akimat-a", stdout=out)
    assert exit_info.value.code == 1
    assert out.getvalue().splitlines()[0] == f"line {bad_line}, column {column}: {REFUSED}"
    assert db_state() == before


def test_command_agency_option_imports_that_agencys_rows(agency_a, agency_b, people, tmp_path):
    a1, a2, _b1 = people
    path = tmp_path / "ratings.csv"
    path.write_bytes(
        csv_bytes([RATING_EN, [a1, "2026", "1", "effective"], [a2, "2026", "1", "proper"]])
    )
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_records", "ratings", str(path), "--agency", agency_a.bin, stdout=out)
    assert out.getvalue().strip() == "Imported: 2 new, 0 updated, 0 unchanged."
    assert ImportBatch.objects.get().agency_code == agency_a.bin


def test_command_agency_option_must_exist(agency_a, tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_bytes(csv_bytes([RATING_EN, ["x", "2026", "1", "effective"]]))
    with pytest.raises(CommandError, match="No state body with code or BIN 'akimat-zz'"):
        call_command("import_records", "ratings", str(path), "--agency", "akimat-zz")


# -- exports by an HR officer ---------------------------------------------------------------


@pytest.fixture
def records_of_both(agency_a, agency_b, servant_of_a, servant_of_b):
    session = SessionFactory()
    now = timezone.now()
    for person, agency in ((servant_of_a, agency_a), (servant_of_b, agency_b)):
        RatingFactory(servant=person)
        QualificationRecord.objects.create(
            servant=person,
            title="Аудит",
            kind=ProgrammeKind.QUALIFICATION_UPGRADE,
            provider="Академия",
            hours=36,
            completed_on=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2028, 1, 1),
            source=RecordSource.IMPORT,
        )
        Enrolment.objects.create(
            servant=person, session=session, status=EnrolmentStatus.ENROLLED, requested_at=now
        )
        Competition.objects.create(
            agency=agency,
            position_title="Эксперт",
            category="E-G-3",
            held_on=datetime.date(2026, 5, 20),
            kind="general",
            outcome="appointed",
            winner=person,
        )


def exported(kind, user, **options):
    queryset, columns = export_spec(kind, user=user, **options)
    with translation.override("en"):
        text = "".join(csv_chunks(queryset, columns, bom=False))
    rows = list(csv.DictReader(io.StringIO(text)))
    return rows


@pytest.mark.parametrize(
    "kind, iin_column",
    [
        ("servants", "IIN"),
        ("ratings", "IIN"),
        ("records", "IIN"),
        ("enrolments", "IIN"),
        ("competitions", "winner"),
    ],
)
def test_hr_export_holds_only_their_agencys_rows(
    records_of_both, hr_officer_a, servant_of_a, auditor, kind, iin_column
):
    rows = exported(kind, hr_officer_a)
    assert [row[iin_column] for row in rows] == [servant_of_a.iin]
    assert len(exported(kind, auditor)) == 2


def test_hr_export_of_another_agency_is_empty(records_of_both, hr_officer_a, agency_b):
    assert exported("servants", hr_officer_a, agency=agency_b) == []
    assert exported("competitions", hr_officer_a, agency=agency_b) == []


def test_hr_officer_of_two_agencies_exports_each_row_once(records_of_both, agency_a, agency_b):
    both = hr_officer_for(agency_a, agency_b, username="hr-both")
    for kind in ("servants", "ratings", "competitions"):
        rows = exported(kind, both)
        assert len(rows) == 2, kind
