"""HR writes the state body's plan line by line and submits it; the rules of a line; a locked
year refuses HR's changes and writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import ProgrammeKind
from plans import services
from plans.models import PlanLine, PlanStatus, TrainingPlan

pytestmark = pytest.mark.django_db


def test_hr_adds_lines_and_submits_the_plan(
    hr_officer_a, agency_a, planning_year, ethics, two_of_a
):
    services.plan_line_add(
        actor=hr_officer_a,
        agency=agency_a,
        planning_year=planning_year,
        programme=ethics,
        quarter=2,
        people_count=5,
        servants=two_of_a,
    )
    services.plan_line_add(
        actor=hr_officer_a,
        agency=agency_a,
        planning_year=planning_year,
        kind=ProgrammeKind.RETRAINING,
        hours=120,
        quarter=3,
        people_count=2,
    )
    plan = TrainingPlan.objects.get(agency=agency_a, year=planning_year)
    assert plan.status == PlanStatus.DRAFT
    services.plan_submit(actor=hr_officer_a, plan=plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.submitted_by == hr_officer_a
    assert [(x.quarter, x.people_count, x.servants.count()) for x in plan.lines.all()] == [
        (2, 5, 2),
        (3, 2, 0),
    ]
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(plan.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["plans.line.added", "plans.line.added", "plans.plan.submitted"]


def test_an_empty_plan_cannot_be_submitted(hr_officer_a, agency_a, planning_year):
    plan = TrainingPlan.objects.create(agency=agency_a, year=planning_year)
    with pytest.raises(ValidationError, match="no lines"):
        services.plan_submit(actor=hr_officer_a, plan=plan)


def test_a_named_person_of_another_state_body_is_refused(
    hr_officer_a, agency_a, planning_year, ethics, servant_of_b
):
    with pytest.raises(ValidationError) as error:
        services.plan_line_add(
            actor=hr_officer_a,
            agency=agency_a,
            planning_year=planning_year,
            programme=ethics,
            quarter=1,
            people_count=3,
            servants=[servant_of_b],
        )
    assert servant_of_b.full_name in str(error.value)
    assert not PlanLine.objects.exists()


def test_fewer_people_than_named_is_refused(
    hr_officer_a, agency_a, planning_year, ethics, two_of_a
):
    with pytest.raises(ValidationError, match="2 people are named but only 1 planned"):
        services.plan_line_add(
            actor=hr_officer_a,
            agency=agency_a,
            planning_year=planning_year,
            programme=ethics,
            quarter=1,
            people_count=1,
            servants=two_of_a,
        )
    assert not PlanLine.objects.exists()


def test_a_line_without_programme_needs_kind_and_hours(hr_officer_a, agency_a, planning_year):
    with pytest.raises(ValidationError, match="Choose a programme"):
        services.plan_line_add(
            actor=hr_officer_a,
            agency=agency_a,
            planning_year=planning_year,
            kind=ProgrammeKind.SEMINAR,
            quarter=1,
            people_count=1,
        )


def test_hr_of_another_state_body_may_not_add_to_the_plan(
    hr_officer_b, agency_a, planning_year, ethics
):
    with pytest.raises(PermissionDenied):
        services.plan_line_add(
            actor=hr_officer_b,
            agency=agency_a,
            planning_year=planning_year,
            programme=ethics,
            quarter=1,
            people_count=1,
        )
    assert not TrainingPlan.objects.exists()


@pytest.mark.parametrize("how", ["deadline passed", "locked by the academy"])
def test_an_edit_after_the_lock_is_refused_and_nothing_changes(
    how, hr_officer_a, academy_manager, agency_a, planning_year, ethics, today
):
    line = services.plan_line_add(
        actor=hr_officer_a,
        agency=agency_a,
        planning_year=planning_year,
        programme=ethics,
        quarter=2,
        people_count=5,
    )
    if how == "deadline passed":
        planning_year.submission_deadline = today - datetime.timedelta(days=1)
        planning_year.save()
    else:
        services.plan_year_lock(actor=academy_manager, planning_year=planning_year)
    entries = ModelLogEntry.objects.count()

    with pytest.raises(ValidationError) as error:
        services.plan_line_update(
            actor=hr_officer_a, line=line, programme=ethics, quarter=3, people_count=9
        )
    message = " ".join(error.value.messages)
    assert "locked" in message and "academy branch on your request" in message
    with pytest.raises(ValidationError, match="locked"):
        services.plan_line_remove(actor=hr_officer_a, line=line)
    with pytest.raises(ValidationError, match="locked"):
        services.plan_line_add(
            actor=hr_officer_a,
            agency=agency_a,
            planning_year=planning_year,
            programme=ethics,
            quarter=4,
            people_count=1,
        )

    line.refresh_from_db()
    assert (line.quarter, line.people_count) == (2, 5)
    assert PlanLine.objects.count() == 1
    assert ModelLogEntry.objects.count() == entries


def test_the_academy_changes_a_locked_plan_on_request(
    hr_officer_a, academy_manager, agency_a, planning_year, ethics
):
    line = services.plan_line_add(
        actor=hr_officer_a,
        agency=agency_a,
        planning_year=planning_year,
        programme=ethics,
        quarter=2,
        people_count=5,
    )
    planning_year.locked_at = timezone.now()
    planning_year.save()
    services.plan_line_update(
        actor=academy_manager, line=line, programme=ethics, quarter=2, people_count=6
    )
    line.refresh_from_db()
    assert line.people_count == 6
