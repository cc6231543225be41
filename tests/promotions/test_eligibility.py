import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from enrolments.models import (
    QualificationRecord,
    TrainingRequirement,  # noqa: E402
)
from people.models import PerformanceRating
from promotions import engine
from promotions.models import QualificationRequirement, RuleSet
from promotions.services import (
    NoRuleSet,
    eligibility_evaluate,
    eligibility_for_agency,
)
from tests.factories import PositionFactory, ServantFactory

AS_OF = datetime.date(2026, 11, 27)  # last complete quarters: 2025 Q4 … 2026 Q3


@pytest.fixture
def rules(db):
    rule = RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    QualificationRequirement.objects.create(rule_set=rule, category_pattern="C-O-*")
    training = TrainingRequirement.objects.create(effective_from=rule.effective_from)
    training.categories.create(category_pattern="C-O-*", min_hours=40)
    return rule


def rate(servant, quarters, rating="effective"):
    for year, quarter in quarters:
        PerformanceRating.objects.create(servant=servant, year=year, quarter=quarter, rating=rating)


def train(servant, hours, completed_on, kind="upgrade", code=None):
    from tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(code=code) if code else None
    return QualificationRecord.objects.create(
        servant=servant,
        programme=programme,
        title="Курс",
        kind=kind,
        provider="Академия",
        hours=hours,
        completed_on=completed_on,
        valid_until=completed_on + datetime.timedelta(days=1095),
        source="import",
    )


LAST_FOUR = [(2025, 4), (2026, 1), (2026, 2), (2026, 3)]


@pytest.fixture
def candidate(agency_a):
    position = PositionFactory(agency=agency_a, category="C-O-4")
    return ServantFactory(
        agency=agency_a, position=position, first_appointed_on=datetime.date(2015, 1, 10)
    )


@pytest.fixture(autouse=True)
def reader_in_english():
    """The explanations are worded when read: these tests read them in English."""
    with translation.override("en"):
        yield


def evaluate(servant, **kwargs):
    return eligibility_evaluate(servant=servant, as_of=AS_OF, **kwargs)


def criterion(result, code):
    return next(c for c in result.criteria if c.code == code)


@pytest.mark.django_db
def test_eligible_when_rated_effective_four_quarters_and_trained(rules, candidate):
    rate(candidate, LAST_FOUR)
    train(candidate, 40, datetime.date(2025, 3, 1))
    result = evaluate(candidate, target_category="C-O-3")
    assert result.eligible and result.rule_version == "2024-1"
    ratings = criterion(result, "ratings")
    assert [e["quarter"] for e in ratings.evidence] == ["Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026"]
    assert "Rated effective in each of the last 4 quarters" in ratings.explanation


@pytest.mark.django_db
def test_a_proper_quarter_says_when_eligibility_can_come(rules, candidate):
    rate(candidate, [(2025, 4), (2026, 1), (2026, 3)])
    rate(candidate, [(2026, 2)], "proper")
    train(candidate, 40, datetime.date(2025, 3, 1))
    result = evaluate(candidate, target_category="C-O-3")
    ratings = criterion(result, "ratings")
    assert not result.eligible and not ratings.met
    assert "Q2 2026 was rated performs functional duties properly" in ratings.explanation
    assert (
        "after Q2 2027" in ratings.gap
        and "if the next 4 quarters are rated effective" in ratings.gap
    )


@pytest.mark.django_db
def test_a_missing_rating_is_named(rules, candidate):
    rate(candidate, LAST_FOUR[:3])
    assert "Q3 2026 has no rating" in criterion(evaluate(candidate), "ratings").explanation


@pytest.mark.django_db
def test_missing_hours_say_how_many_and_by_when(rules, candidate):
    rate(candidate, LAST_FOUR)
    train(candidate, 16, datetime.date(2024, 3, 31))
    hours = criterion(evaluate(candidate, target_category="C-O-3"), "training_hours")
    assert not hours.met
    assert hours.gap == "24 more academic hours of qualification upgrade before 31.03.2027."


@pytest.mark.django_db
def test_seminars_and_records_outside_the_window_do_not_count(rules, candidate):
    rate(candidate, LAST_FOUR)
    train(candidate, 40, datetime.date(2023, 11, 27))  # just outside 3 years
    train(candidate, 40, datetime.date(2026, 1, 10), kind="seminar")
    assert not criterion(evaluate(candidate), "training_hours").met


@pytest.mark.django_db
def test_overdue_retraining_blocks_and_is_explained(rules, agency_a):
    newcomer = ServantFactory(agency=agency_a, first_appointed_on=datetime.date(2026, 1, 15))
    result = evaluate(newcomer)
    retraining = criterion(result, "retraining")
    assert not retraining.met and "due by 15.07.2026" in retraining.explanation
    train(newcomer, 120, datetime.date(2026, 5, 1), kind="retraining")
    assert criterion(evaluate(newcomer), "retraining").met


@pytest.mark.django_db
def test_required_programmes_and_years_of_service(rules, candidate):
    QualificationRequirement.objects.create(
        rule_set=rules,
        category_pattern="C-O-2",
        required_programmes="ANTICOR-C",
        min_years_of_service=15,
    )
    result = evaluate(candidate, target_category="C-O-2")
    assert (
        "Required programmes without a valid completion: ANTICOR-C."
        in criterion(result, "required_programmes").explanation
    )
    assert criterion(result, "service_years").gap == "Reached on 10.01.2030."
    train(candidate, 36, datetime.date(2026, 2, 1), code="ANTICOR-C")
    assert criterion(evaluate(candidate, target_category="C-O-2"), "required_programmes").met


@pytest.mark.django_db
def test_the_rule_version_in_force_on_the_date_is_used(rules, candidate):
    RuleSet.objects.create(
        version="2027-1", effective_from=datetime.date(2027, 1, 1), consecutive_effective_quarters=6
    )
    assert evaluate(candidate).rule_version == "2024-1"
    later = eligibility_evaluate(servant=candidate, as_of=datetime.date(2027, 2, 1))
    assert later.rule_version == "2027-1"
    assert len(criterion(later, "ratings").evidence) == 6
    with pytest.raises(NoRuleSet):
        eligibility_evaluate(servant=candidate, as_of=datetime.date(2020, 1, 1))


@pytest.mark.django_db
def test_what_if_a_planned_course_closes_the_gap(rules, candidate):
    rate(candidate, LAST_FOUR)
    train(candidate, 16, datetime.date(2025, 6, 1))
    assert not evaluate(candidate, target_category="C-O-3").eligible
    planned = engine.RecordFact(
        "upgrade",
        24,
        AS_OF,
        AS_OF + datetime.timedelta(days=1095),
        "DIGITAL-C",
        "Цифрлық сауаттылық",
    )
    assert evaluate(candidate, target_category="C-O-3", hypothetical=[planned]).eligible
    assert not QualificationRecord.objects.filter(title_kk="Цифрлық сауаттылық").exists()


@pytest.mark.django_db
def test_batch_equals_per_person_with_a_constant_number_of_queries(rules, agency_a):
    servants = []
    for index in range(12):
        servant = ServantFactory(
            agency=agency_a,
            position=PositionFactory(agency=agency_a, category="C-O-4"),
            first_appointed_on=datetime.date(2010 + index, 3, 1),
        )
        rate(servant, LAST_FOUR[index % 3 :], "effective")
        if index % 4 == 0:
            rate(servant, [LAST_FOUR[0]], "proper") if index % 3 else None
        train(servant, 8 * index, datetime.date(2025, 1 + index % 12, 1))
        servants.append(servant)
    with CaptureQueriesContext(connection) as few:
        batch_small = eligibility_for_agency(agency=agency_a, as_of=AS_OF)
    for _extra in range(12):
        ServantFactory(agency=agency_a)
    with CaptureQueriesContext(connection) as many:
        eligibility_for_agency(agency=agency_a, as_of=AS_OF)
    assert len(many.captured_queries) == len(few.captured_queries)
    for result in batch_small:
        single = eligibility_evaluate(
            servant=next(s for s in servants if s.pk == result.servant_id), as_of=AS_OF
        )
        assert single.as_dict() == result.as_dict()


@pytest.mark.django_db
def test_eligibility_report_command(rules, candidate, capsys):
    import io

    from django.core.management import call_command

    rate(candidate, LAST_FOUR)
    train(candidate, 40, datetime.date(2025, 3, 1))
    out = io.StringIO()
    call_command(
        "eligibility_report", "--as-of", AS_OF.isoformat(), stdout=out, stderr=io.StringIO()
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("pseudonym,target_category,eligible")
    assert any(candidate.pseudonym in line and ",True," in line for line in lines)
    assert candidate.iin not in out.getvalue()  # reports use the pseudonymous id


@pytest.fixture
def mixed_agency(rules, agency_a):
    """Servants of every kind the rules tell apart: categories with and without a
    requirement (required programmes, years of service), none at all, retraining done, due,
    overdue, missing and weak ratings, records outside the window, two on the same day."""
    QualificationRequirement.objects.create(
        rule_set=rules,
        category_pattern="C-O-4",
        min_years_of_service=3,
        required_programmes="ANTICOR",
    )
    TrainingRequirement.objects.get(effective_from=rules.effective_from).categories.create(
        category_pattern="C-O-4", min_hours=48
    )
    from tests.factories import ProgrammeFactory

    anticor = ProgrammeFactory(code="ANTICOR")
    categories = ["C-O-4", "C-O-3", "E-R-3", None]
    servants = []
    for index in range(16):
        category = categories[index % 4]
        servant = ServantFactory(
            agency=agency_a,
            position=PositionFactory(agency=agency_a, category=category) if category else None,
            first_appointed_on=[
                datetime.date(2012, 5, 1),
                datetime.date(2026, 8, 1),  # retraining not due yet
                datetime.date(2025, 1, 15),  # retraining overdue unless done
                None,
            ][index // 4],
        )
        rate(servant, LAST_FOUR[index % 4 :], "effective")
        if index % 5 == 1:
            rate(servant, [LAST_FOUR[0]], "proper")
        train(servant, 8 + 4 * index, datetime.date(2025, 1 + index % 12, 1))
        if index % 8 == 0:
            record = train(servant, 20, datetime.date(2025, 1 + index % 12, 1))
            record.programme = anticor
            record.save(update_fields=["programme"])
        if index % 3 == 0:
            train(servant, 120, datetime.date(2025, 6, 1), kind="retraining")
        train(servant, 60, datetime.date(2021, 1, 1))  # outside the window
        servants.append(servant)
    return servants


@pytest.mark.django_db
def test_the_streamed_batch_equals_one_by_one_for_a_mixed_set(mixed_agency, agency_a):
    from promotions.services import eligibility_criteria_codes, eligibility_stream

    with translation.override("ru"):
        streamed = list(eligibility_stream(agency=agency_a, as_of=AS_OF, chunk_size=3))
        singles = [
            eligibility_evaluate(servant=servant, as_of=AS_OF).as_dict()
            for servant in sorted(mixed_agency, key=lambda s: s.pk)
        ]
    assert [r.as_dict() for r in streamed] == singles
    # The mix exercises every criterion, met and not met.
    outcomes = {(c.code, c.met) for r in streamed for c in r.criteria}
    for code in ("ratings", "training_hours", "retraining", "required_programmes"):
        assert {(code, True), (code, False)} <= outcomes, code
    assert ("service_years", True) in outcomes
    assert eligibility_criteria_codes(agency=agency_a, as_of=AS_OF) == sorted(
        {c.code for r in streamed for c in r.criteria}
    )


@pytest.mark.django_db
def test_the_report_writes_every_servant_once_with_the_batch_results(
    mixed_agency, agency_a, tmp_path
):
    import csv
    import io
    import json

    from django.core.management import call_command

    out = tmp_path / "report.json"
    call_command(
        "eligibility_report",
        "--as-of",
        AS_OF.isoformat(),
        "--format",
        "json",
        "-o",
        str(out),
        stderr=io.StringIO(),
    )
    written = json.loads(out.read_text(encoding="utf-8"))
    expected = [
        {**r.as_dict(explained=True), "pseudonym": s.pseudonym}
        for r, s in zip(
            eligibility_for_agency(agency=agency_a, as_of=AS_OF),
            sorted(mixed_agency, key=lambda s: s.pk),
            strict=True,
        )
    ]
    assert written == expected
    assert (
        out.read_text(encoding="utf-8") == json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
    )
    text = io.StringIO()
    call_command(
        "eligibility_report", "--as-of", AS_OF.isoformat(), stdout=text, stderr=io.StringIO()
    )
    rows = list(csv.reader(io.StringIO(text.getvalue())))
    assert rows[0][-3:] == ["service_years_met", "training_hours_met", "gaps"]
    assert sorted(row[0] for row in rows[1:]) == sorted(s.pseudonym for s in mixed_agency)
