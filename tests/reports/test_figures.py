"""The annual report's figures reconcile with the records, counted both ways."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from plans.models import PlanLine, PlanningYear, TrainingPlan
from reports.selectors import annual_report, default_year, plan_against_actual_rows
from tests.factories import AgencyFactory, ProgrammeFactory, ServantFactory, SessionFactory

from .conftest import YEAR, enrol, result


def by_agency(report, agency):
    return next(line for line in report.agencies if line.key == agency.pk)


def test_the_seeded_year_shows_the_figures_a_person_would_count_by_hand(seeded_year):
    report = annual_report(YEAR)
    total = report.total
    assert (total.people, total.completions, total.hours) == (2, 3, 192)
    o = total.outcomes
    assert (o.results, o.completed, o.failed, o.no_show, o.awaiting) == (6, 3, 1, 2, 0)
    assert o.completion_rate == 50.0
    assert o.no_show_rate == 33.3
    assert (total.issued, total.revoked) == (2, 2)
    assert report.other_providers == 1

    a = by_agency(report, seeded_year.agency_a)
    assert (a.people, a.completions, a.hours, a.issued, a.revoked) == (1, 2, 156, 1, 1)
    assert (a.outcomes.results, a.outcomes.completed, a.outcomes.no_show) == (3, 2, 1)
    b = by_agency(report, seeded_year.agency_b)
    assert (b.people, b.completions, b.hours, b.issued, b.revoked) == (1, 1, 36, 1, 1)
    assert (b.outcomes.results, b.outcomes.failed, b.outcomes.no_show) == (3, 1, 1)

    kinds = {line.key: line for line in report.kinds}
    assert (kinds["upgrade"].people, kinds["upgrade"].hours) == (2, 72)
    assert (kinds["retraining"].people, kinds["retraining"].hours) == (1, 120)
    categories = {line.key: line.people for line in report.categories}
    assert categories == {"C-O-5": 2, "D-3": 0}  # a2 of D-3 only did not attend


def test_the_totals_per_agency_add_up_to_the_overall_total(seeded_year):
    report = annual_report(YEAR)
    for figure in ("people", "completions", "hours", "issued", "revoked"):
        assert sum(getattr(line, figure) for line in report.agencies) == getattr(
            report.total, figure
        ), figure
    for figure in ("results", "completed", "failed", "no_show"):
        assert sum(getattr(line.outcomes, figure) for line in report.agencies) == getattr(
            report.total.outcomes, figure
        ), figure
    # Each person has one category, so the categories add up too.
    assert sum(line.people for line in report.categories) == report.total.people
    assert sum(line.hours for line in report.categories) == report.total.hours


def test_the_figures_equal_counts_taken_straight_from_the_records(seeded_year):
    report = annual_report(YEAR)
    records = QualificationRecord.objects.filter(
        is_current=True, programme__isnull=False, completed_on__year=YEAR
    )
    ended = Enrolment.objects.filter(session__ends_on__year=YEAR)
    assert report.total.people == records.values("servant").distinct().count()
    assert report.total.completions == records.count()
    assert report.total.hours == sum(records.values_list("hours", flat=True))
    assert report.total.outcomes.completed == ended.filter(status=EnrolmentStatus.COMPLETED).count()
    assert report.total.outcomes.no_show == ended.filter(status=EnrolmentStatus.NO_SHOW).count()
    assert report.total.outcomes.failed == ended.filter(status=EnrolmentStatus.FAILED).count()
    assert report.total.issued == Certificate.objects.filter(issued_at__year=YEAR).count()
    assert report.total.revoked == Certificate.objects.filter(revoked_at__year=YEAR).count()
    for agency in (seeded_year.agency_a, seeded_year.agency_b):
        line = by_agency(report, agency)
        mine = records.filter(servant__agency=agency)
        assert line.people == mine.values("servant").distinct().count()
        assert line.hours == sum(mine.values_list("hours", flat=True))
        assert (
            line.revoked
            == Certificate.objects.filter(revoked_at__year=YEAR, servant__agency=agency).count()
        )
    for line in report.programmes:
        assert line.completions == records.filter(programme_id=line.key).count()


def test_a_revoked_certificate_is_counted_as_revoked_in_the_year_it_was_revoked(seeded_year):
    assert annual_report(YEAR).total.revoked == 2
    # The certificate issued in 2024 counts as issued in 2024, not revoked there.
    earlier = annual_report(YEAR - 1).total
    assert (earlier.issued, earlier.revoked) == (1, 0)


def test_the_report_reads_a_constant_number_of_queries_whatever_the_data(
    seeded_year, academy_manager
):
    with CaptureQueriesContext(connection) as few:
        annual_report(YEAR)
    # Three more state bodies, a programme and a dozen more people trained.
    session = SessionFactory(
        programme=ProgrammeFactory(academic_hours=16),
        starts_on=datetime.date(YEAR, 9, 1),
        ends_on=datetime.date(YEAR, 9, 2),
    )
    for _n in range(3):
        agency = AgencyFactory()
        for _m in range(4):
            result(enrol(ServantFactory(agency=agency), session), 16, True, academy_manager)
    with CaptureQueriesContext(connection) as many:
        report = annual_report(YEAR)
    assert report.total.people == 14
    assert len(many) == len(few) <= 20


def test_the_default_year_is_the_latest_with_training(seeded_year):
    assert default_year() == YEAR


def test_plan_against_actual_has_no_rows_for_a_year_nobody_planned(seeded_year):
    assert plan_against_actual_rows(YEAR) == []


def test_plan_against_actual_sets_each_state_bodys_plan_beside_its_people(seeded_year):
    year = PlanningYear.objects.create(year=YEAR, submission_deadline=datetime.date(YEAR, 1, 31))
    a = TrainingPlan.objects.create(agency=seeded_year.agency_a, year=year, status="submitted")
    b = TrainingPlan.objects.create(agency=seeded_year.agency_b, year=year)
    PlanLine.objects.create(plan=a, programme=seeded_year.upgrade, quarter=1, people_count=2)
    PlanLine.objects.create(plan=a, programme=seeded_year.upgrade, quarter=4, people_count=1)
    PlanLine.objects.create(plan=a, programme=seeded_year.retraining, quarter=2, people_count=1)
    PlanLine.objects.create(plan=b, programme=seeded_year.upgrade, quarter=1, people_count=2)
    upgrade, retraining = seeded_year.upgrade, seeded_year.retraining
    # agency A: a1 passed and a2 did not attend the March upgrade (a3 withdrew), a1 passed
    # the May retraining; agency B: b1 passed and b2 failed the March upgrade.
    assert plan_against_actual_rows(YEAR) == [
        [seeded_year.agency_a.name, f"{upgrade.code} {upgrade.title}", 3, 2, 1, -2],
        [seeded_year.agency_a.name, f"{retraining.code} {retraining.title}", 1, 1, 1, 0],
        [seeded_year.agency_b.name, f"{upgrade.code} {upgrade.title}", 2, 2, 1, -1],
    ]
