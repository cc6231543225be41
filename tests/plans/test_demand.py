"""The academy's side: demand summed across state bodies, sessions from it in one step, and
plan against actual."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import Session
from enrolments.models import Enrolment, EnrolmentStatus
from plans import selectors, services
from tests.factories import ServantFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _plan(actor, agency, year, programme, quarter, people, servants=()):
    services.plan_line_add(
        actor=actor,
        agency=agency,
        planning_year=year,
        programme=programme,
        quarter=quarter,
        people_count=people,
        servants=servants,
    )
    plan = agency.training_plans.get(year=year)
    services.plan_submit(actor=actor, plan=plan)


@pytest.fixture
def two_plans(hr_officer_a, hr_officer_b, agency_a, agency_b, planning_year, ethics):
    _plan(hr_officer_a, agency_a, planning_year, ethics, 2, 5)
    _plan(hr_officer_b, agency_b, planning_year, ethics, 2, 7)
    return planning_year


def test_demand_sums_people_across_state_bodies(two_plans, agency_a, agency_b, ethics):
    rows = selectors.demand(two_plans)
    assert len(rows) == 1
    row = rows[0]
    assert (row.programme, row.quarter, row.people) == (ethics, 2, 12)
    assert [(a.code, n) for a, n in row.agencies] == [(agency_a.code, 5), (agency_b.code, 7)]


def test_a_draft_plan_is_not_in_the_demand_yet(hr_officer_a, agency_a, planning_year, ethics):
    services.plan_line_add(
        actor=hr_officer_a,
        agency=agency_a,
        planning_year=planning_year,
        programme=ethics,
        quarter=1,
        people_count=3,
    )
    assert selectors.demand(planning_year) == []
    assert agency_a in selectors.agencies_without_submitted_plan(planning_year)


def test_the_demand_page_shows_the_sum_and_the_state_bodies(
    client, academy_manager, two_plans, agency_a, agency_b
):
    client.force_login(academy_manager)
    page = client.get("/admin/plans/demand/", {"year": two_plans.year}).content.decode()
    assert "<strong>12</strong>" in page
    assert f"{agency_a.name_en}: 5" in page and f"{agency_b.name_en}: 7" in page


def test_creating_sessions_from_demand_creates_exactly_the_asked_sessions(
    client, academy_manager, two_plans, ethics
):
    year = two_plans.year
    client.force_login(academy_manager)
    url = "/admin/plans/demand/sessions/"
    query = {"year": year, "quarter": 2, "row": f"p{ethics.pk}"}
    form = client.get(url, query).content.decode()
    assert 'name="capacity" value="12"' in form
    response = client.post(
        url,
        query
        | {
            "programme": ethics.pk,
            "count": 2,
            "first_starts_on": f"{year}-04-06",
            "days": 5,
            "every_days": 21,
            "capacity": 6,
            "language": "both",
        },
    )
    assert response.status_code == 302
    sessions = list(Session.objects.order_by("starts_on"))
    assert [(s.programme, s.starts_on, s.ends_on, s.capacity) for s in sessions] == [
        (ethics, datetime.date(year, 4, 6), datetime.date(year, 4, 10), 6),
        (ethics, datetime.date(year, 4, 27), datetime.date(year, 5, 1), 6),
    ]


def test_sessions_reaching_past_the_quarter_are_all_refused(academy_manager, two_plans, ethics):
    year = two_plans.year
    with pytest.raises(ValidationError, match="Session 2 .* falls outside quarter 2"):
        services.sessions_create_from_demand(
            actor=academy_manager,
            planning_year=two_plans,
            programme=ethics,
            quarter=2,
            count=2,
            first_starts_on=datetime.date(year, 6, 20),
            days=5,
            every_days=14,
            capacity=10,
        )
    assert not Session.objects.exists()


def test_plan_against_actual_counts_an_enrolment_in_the_planned_quarter(
    two_plans, agency_a, agency_b, ethics
):
    year = two_plans.year
    in_q2 = SessionFactory(
        programme=ethics, starts_on=datetime.date(year, 5, 4), ends_on=datetime.date(year, 5, 8)
    )
    in_q3 = SessionFactory(
        programme=ethics, starts_on=datetime.date(year, 7, 6), ends_on=datetime.date(year, 7, 10)
    )
    now = timezone.now()
    for session, status in (
        (in_q2, EnrolmentStatus.ENROLLED),
        (in_q2, EnrolmentStatus.COMPLETED),
        (in_q2, EnrolmentStatus.WITHDRAWN),
        (in_q3, EnrolmentStatus.ENROLLED),
    ):
        Enrolment.objects.create(
            servant=ServantFactory(agency=agency_a),
            session=session,
            status=status,
            requested_at=now,
        )

    rows = selectors.plan_against_actual(year)
    figures = {(r.agency.code, r.quarter): (r.planned, r.enrolled, r.completed) for r in rows}
    assert figures == {(agency_a.code, 2): (5, 2, 1), (agency_b.code, 2): (7, 0, 0)}
    only_b = selectors.plan_against_actual(year, agencies=[agency_b])
    assert [r.agency for r in only_b] == [agency_b]


def test_sessions_from_demand_cannot_start_in_the_past(academy_manager, two_plans, ethics, today):
    with pytest.raises(ValidationError, match="cannot start in the past"):
        services.sessions_create_from_demand(
            actor=academy_manager,
            planning_year=two_plans,
            programme=ethics,
            quarter=2,
            count=1,
            first_starts_on=today - datetime.timedelta(days=1),
            days=2,
            every_days=0,
            capacity=10,
        )
    assert not Session.objects.exists()
