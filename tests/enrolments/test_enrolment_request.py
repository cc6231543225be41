import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.formats import date_format
from wagtail.models import ModelLogEntry

from core.dates import add_months
from courses.models import SessionStatus
from enrolments.models import Enrolment, EnrolmentStatus, Priority
from enrolments.selectors import waitlist_place
from enrolments.services import (
    EnrolmentRefused,
    enrolment_request,
)
from tests.factories import PositionFactory, ProgrammeFactory, SessionFactory


def request(servant, session):
    return enrolment_request(servant=servant, session=session, actor=servant.user)


@pytest.mark.django_db
def test_it_enrols_when_a_seat_is_free(open_session, make_servant):
    servant = make_servant()
    enrolment = request(servant, open_session)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    entry = ModelLogEntry.objects.get(action="enrolments.enrolment.enrolled")
    assert entry.user == servant.user and entry.data["free_seats_before"] == 2


@pytest.mark.django_db
def test_it_waitlists_when_session_is_full_and_shows_the_place(open_session, make_servant):
    first, second, third, fourth = (make_servant() for _ in range(4))
    for servant in (first, second):
        assert request(servant, open_session).status == EnrolmentStatus.ENROLLED
    waiting = request(third, open_session)
    later = request(fourth, open_session)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    assert (waitlist_place(waiting), waitlist_place(later)) == (1, 2)
    assert Enrolment.objects.filter(session=open_session, status="enrolled").count() == 2


@pytest.mark.django_db
def test_programmes_that_need_approval_hold_a_seat_pending(make_servant):
    programme = ProgrammeFactory(requires_approval=True)
    session = SessionFactory(programme=programme, capacity=1)
    first, second = make_servant(), make_servant()
    assert request(first, session).status == EnrolmentStatus.PENDING_APPROVAL
    assert request(second, session).status == EnrolmentStatus.WAITLISTED


@pytest.mark.django_db
def test_it_refuses_a_cancelled_session(open_session, make_servant):
    open_session.status = SessionStatus.CANCELLED
    open_session.save()
    with pytest.raises(EnrolmentRefused) as err:
        request(make_servant(), open_session)
    assert err.value.code == "cancelled"


@pytest.mark.django_db
@pytest.mark.parametrize("days_to_start", [40, 4, -1])
def test_it_refuses_outside_the_enrolment_window_and_names_the_dates(
    make_servant, days_to_start, today
):
    start = today + datetime.timedelta(days=days_to_start)
    session = SessionFactory(starts_on=start, ends_on=start + datetime.timedelta(days=2))
    with pytest.raises(EnrolmentRefused) as err:
        request(make_servant(), session)
    assert err.value.code == "window_closed"
    assert session.closes_on.strftime("%d.%m.%Y") in err.value.messages[0]
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_category_outside_the_audience(agency_a, make_servant):
    session = SessionFactory(programme=ProgrammeFactory(audience="C-O-1, C-O-2"))
    specialist = make_servant(position=PositionFactory(agency=agency_a, category="C-O-5"))
    with pytest.raises(EnrolmentRefused) as err:
        request(specialist, session)
    assert err.value.code == "audience"
    assert "C-O-5" in err.value.messages[0]
    head = make_servant(position=PositionFactory(agency=agency_a, category="C-O-2"))
    assert request(head, session).status == EnrolmentStatus.ENROLLED


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["enrolled", "waitlisted", "pending_approval"])
def test_it_refuses_a_second_active_enrolment_in_the_same_session(
    open_session, make_servant, status
):
    servant = make_servant()
    enrolment = request(servant, open_session)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
    with pytest.raises(EnrolmentRefused) as err:
        request(servant, open_session)
    assert err.value.code == "duplicate"
    assert Enrolment.objects.filter(servant=servant).count() == 1


@pytest.mark.django_db
def test_after_withdrawing_one_may_enrol_again(open_session, make_servant):
    from enrolments.services import enrolment_withdraw

    servant = make_servant()
    enrolment_withdraw(enrolment=request(servant, open_session), actor=servant.user)
    assert request(servant, open_session).status == EnrolmentStatus.ENROLLED


@pytest.mark.django_db
def test_one_cannot_enrol_someone_else(open_session, make_servant):
    servant, other = make_servant(), make_servant()
    with pytest.raises(PermissionDenied):
        enrolment_request(servant=servant, session=open_session, actor=other.user)


@pytest.mark.django_db
def test_hr_officer_may_enrol_their_own_agencys_people_only(
    open_session, make_servant, hr_officer_a, servant_of_b
):
    servant = make_servant()
    enrolment = enrolment_request(servant=servant, session=open_session, actor=hr_officer_a)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    with pytest.raises(PermissionDenied):
        enrolment_request(servant=servant_of_b, session=open_session, actor=hr_officer_a)


@pytest.mark.django_db
def test_retraining_that_is_due_gets_priority_with_a_reason(make_servant, today):
    programme = ProgrammeFactory(kind="retraining", academic_hours=120)
    session = SessionFactory(programme=programme)
    newcomer = make_servant(first_appointed_on=today - datetime.timedelta(days=60))
    veteran = make_servant(first_appointed_on=today - datetime.timedelta(days=3000))
    enrolment = request(newcomer, session)
    assert enrolment.priority == Priority.RETRAINING_DUE
    with translation.override("en"):
        reason = enrolment.get_priority_reason_display()
        # Dates as an English reader writes them ("March 1, 2027"), not ISO.
        appointed = date_format(newcomer.first_appointed_on, "DATE_FORMAT")
        due = date_format(add_months(newcomer.first_appointed_on, 6), "DATE_FORMAT")
    assert f"Retraining is due by {due} (first appointed on {appointed})." == reason
    assert newcomer.first_appointed_on.isoformat() not in reason
    veteran_enrolment = request(veteran, session)
    assert veteran_enrolment.priority == Priority.VOLUNTARY
    assert veteran_enrolment.get_priority_reason_display() == ""


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 15), 6, datetime.date(2026, 7, 15)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2024, 2, 29), 36, datetime.date(2027, 2, 28)),
    ],
)
def test_month_arithmetic_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected
