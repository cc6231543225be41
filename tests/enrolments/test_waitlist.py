"""The waiting list is fair and explained: priority first, then time of request."""

import datetime

import pytest
from django.utils import translation
from wagtail.models import ModelLogEntry

from enrolments.models import Enrolment, EnrolmentStatus, Priority
from enrolments.selectors import waitlist_place
from enrolments.services import (
    enrolment_decide,
    enrolment_request,
    enrolment_withdraw,
)
from enrolments.sessions import session_set_capacity
from tests.factories import ProgrammeFactory, SessionFactory


def request(servant, session):
    return enrolment_request(servant=servant, session=session, actor=servant.user)


def statuses(session):
    return dict(Enrolment.objects.filter(session=session).values_list("servant_id", "status"))


@pytest.mark.django_db
def test_a_withdrawal_enrols_the_first_in_the_queue_and_says_why(open_session, make_servant):
    a, b, c, d = (make_servant() for _ in range(4))
    ea, eb, ec, ed = (request(s, open_session) for s in (a, b, c, d))
    assert (ec.status, ed.status) == ("waitlisted", "waitlisted")
    enrolment_withdraw(enrolment=ea, actor=a.user)
    assert statuses(open_session) == {
        a.pk: "withdrawn",
        b.pk: "enrolled",
        c.pk: "enrolled",
        d.pk: "waitlisted",
    }
    ed.refresh_from_db()
    assert waitlist_place(ed) == 1
    entry = ModelLogEntry.objects.get(action="enrolments.enrolment.promoted")
    assert int(entry.object_id) == ec.pk
    assert entry.data["freed_by"] and entry.data["still_waiting"] == 1
    with translation.override("en"):  # worded when read, in the reader's language
        assert c.full_name in entry.message and "a participant withdrew" in entry.message


@pytest.mark.django_db
def test_due_retraining_ranks_above_earlier_voluntary_requests(make_servant, today):
    programme = ProgrammeFactory(kind="retraining", academic_hours=120)
    session = SessionFactory(programme=programme, capacity=1)
    holder = make_servant(first_appointed_on=today - datetime.timedelta(days=4000))
    early_volunteer = make_servant(first_appointed_on=today - datetime.timedelta(days=4000))
    newcomer = make_servant(first_appointed_on=today - datetime.timedelta(days=30))
    held = request(holder, session)
    volunteer = request(early_volunteer, session)
    due = request(newcomer, session)
    assert due.priority == Priority.RETRAINING_DUE
    assert (waitlist_place(due), waitlist_place(volunteer)) == (1, 2)
    enrolment_withdraw(enrolment=held, actor=holder.user)
    due.refresh_from_db()
    volunteer.refresh_from_db()
    assert due.status == "enrolled" and volunteer.status == "waitlisted"
    entry = ModelLogEntry.objects.get(action="enrolments.enrolment.promoted")
    assert entry.data["priority"] == Priority.RETRAINING_DUE
    assert entry.data["priority_basis"] == due.priority_basis


@pytest.mark.django_db
def test_raising_capacity_promotes_in_order(open_session, make_servant, academy_manager):
    servants = [make_servant() for _ in range(6)]
    enrolments = [request(s, open_session) for s in servants]
    promoted = session_set_capacity(session=open_session, capacity=4, actor=academy_manager)
    assert [e.pk for e in promoted] == [enrolments[2].pk, enrolments[3].pk]
    assert list(
        Enrolment.objects.filter(session=open_session, status="waitlisted").values_list(
            "pk", flat=True
        )
    ) == [enrolments[4].pk, enrolments[5].pk]


@pytest.mark.django_db
def test_capacity_cannot_drop_below_taken_seats(open_session, make_servant, academy_manager):
    from enrolments.services import EnrolmentRefused

    for _ in range(2):
        request(make_servant(), open_session)
    with pytest.raises(EnrolmentRefused) as err:
        session_set_capacity(session=open_session, capacity=1, actor=academy_manager)
    assert err.value.code == "capacity"
    open_session.refresh_from_db()
    assert open_session.capacity == 2


@pytest.mark.django_db
def test_a_rejection_frees_the_seat_for_the_queue(make_servant, academy_manager):
    session = SessionFactory(programme=ProgrammeFactory(requires_approval=True), capacity=1)
    first, second = make_servant(), make_servant()
    pending = request(first, session)
    waiting = request(second, session)
    enrolment_decide(
        enrolment=pending, approve=False, actor=academy_manager, reason="Не по профилю"
    )
    waiting.refresh_from_db()
    # Approval is still needed for the promoted person: they move into the held seat.
    assert waiting.status == EnrolmentStatus.PENDING_APPROVAL


@pytest.mark.django_db
def test_withdrawing_from_the_waitlist_frees_no_seat(open_session, make_servant):
    servants = [make_servant() for _ in range(4)]
    enrolments = [request(s, open_session) for s in servants]
    enrolment_withdraw(enrolment=enrolments[2], actor=servants[2].user)
    enrolments[3].refresh_from_db()
    assert enrolments[3].status == "waitlisted" and waitlist_place(enrolments[3]) == 1
    assert not ModelLogEntry.objects.filter(action="enrolments.enrolment.promoted").exists()


@pytest.mark.django_db
def test_the_place_given_on_request_is_the_place_in_the_queue_and_in_the_history(
    make_servant, today
):
    programme = ProgrammeFactory(kind="retraining", academic_hours=120)
    session = SessionFactory(programme=programme, capacity=1)
    veteran = [
        make_servant(first_appointed_on=today - datetime.timedelta(days=4000)) for _ in "abc"
    ]
    newcomer = make_servant(first_appointed_on=today - datetime.timedelta(days=30))
    held, first, second = (request(s, session) for s in veteran)
    due = request(newcomer, session)  # retraining due: ahead of the earlier volunteers
    assert held.place is None
    assert [first.place, second.place, due.place] == [1, 2, 1]
    assert [waitlist_place(e) for e in (due, first, second)] == [1, 2, 3]
    logged = {
        int(e.object_id): e.data["waitlist_place"]
        for e in ModelLogEntry.objects.filter(action="enrolments.enrolment.waitlisted")
    }
    assert logged == {first.pk: 1, second.pk: 2, due.pk: 1}
