"""Decisions, withdrawal, cancellation and results: every transition and refusal."""

import datetime
import decimal

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from core.dates import add_years
from courses.models import SessionStatus
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from enrolments.results import enrolment_record_result, qualification_record_correct
from enrolments.services import (
    EnrolmentRefused,
    enrolment_decide,
    enrolment_request,
    enrolment_withdraw,
    session_cancel,
)
from tests.factories import ProgrammeFactory, SessionFactory


def request(servant, session):
    return enrolment_request(servant=servant, session=session, actor=servant.user)


@pytest.fixture
def approval_session(db):
    return SessionFactory(programme=ProgrammeFactory(requires_approval=True), capacity=3)


# -- decisions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_hr_officer_of_the_agency_approves(approval_session, make_servant, hr_officer_a):
    enrolment = request(make_servant(), approval_session)
    decided = enrolment_decide(enrolment=enrolment, approve=True, actor=hr_officer_a)
    assert decided.status == EnrolmentStatus.ENROLLED
    assert decided.decided_by == hr_officer_a and decided.decided_at is not None
    assert ModelLogEntry.objects.filter(action="enrolments.enrolment.approved").exists()


@pytest.mark.django_db
def test_rejection_needs_a_reason(approval_session, make_servant, academy_manager):
    enrolment = request(make_servant(), approval_session)
    with pytest.raises(EnrolmentRefused) as err:
        enrolment_decide(enrolment=enrolment, approve=False, actor=academy_manager, reason=" ")
    assert err.value.code == "reason_required"
    decided = enrolment_decide(
        enrolment=enrolment, approve=False, actor=academy_manager, reason="Квота исчерпана"
    )
    assert decided.status == EnrolmentStatus.REJECTED
    assert decided.decision_reason == "Квота исчерпана"


@pytest.mark.django_db
def test_hr_officer_of_another_agency_cannot_decide(approval_session, servant_of_b, hr_officer_a):
    from core.authorization import CIVIL_SERVANTS
    from tests.factories import UserFactory

    servant_of_b.user = UserFactory(username="b-user", role=CIVIL_SERVANTS)
    servant_of_b.save()
    enrolment = request(servant_of_b, approval_session)
    with pytest.raises(PermissionDenied):
        enrolment_decide(enrolment=enrolment, approve=True, actor=hr_officer_a)


@pytest.mark.django_db
def test_the_servant_cannot_approve_themselves(approval_session, make_servant):
    servant = make_servant()
    enrolment = request(servant, approval_session)
    with pytest.raises(PermissionDenied):
        enrolment_decide(enrolment=enrolment, approve=True, actor=servant.user)


@pytest.mark.django_db
def test_only_pending_enrolments_are_decided(open_session, make_servant, academy_manager):
    enrolment = request(make_servant(), open_session)
    with pytest.raises(EnrolmentRefused) as err:
        enrolment_decide(enrolment=enrolment, approve=True, actor=academy_manager)
    assert err.value.code == "not_pending"


# -- withdrawal --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["completed", "rejected", "cancelled", "withdrawn"])
def test_finished_enrolments_cannot_be_withdrawn(open_session, make_servant, status):
    servant = make_servant()
    enrolment = request(servant, open_session)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
    with pytest.raises(EnrolmentRefused) as err:
        enrolment_withdraw(enrolment=enrolment, actor=servant.user)
    assert err.value.code == "not_active"


@pytest.mark.django_db
def test_a_servant_cannot_withdraw_after_the_start(open_session, make_servant, today):
    servant = make_servant()
    enrolment = request(servant, open_session)
    open_session.starts_on = today
    open_session.save()
    with pytest.raises(EnrolmentRefused) as err:
        enrolment_withdraw(enrolment=enrolment, actor=servant.user)
    assert err.value.code == "started"


@pytest.mark.django_db
def test_nobody_withdraws_someone_elses_enrolment(open_session, make_servant):
    owner, other = make_servant(), make_servant()
    enrolment = request(owner, open_session)
    with pytest.raises(PermissionDenied):
        enrolment_withdraw(enrolment=enrolment, actor=other.user)


# -- cancellation ------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_a_session_cancels_every_upcoming_enrolment(
    open_session, make_servant, academy_manager
):
    enrolments = [request(make_servant(), open_session) for _ in range(3)]  # 2 in, 1 waiting
    count = session_cancel(session=open_session, actor=academy_manager, reason="Болезнь лектора")
    assert count == 3
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"cancelled"}
    open_session.refresh_from_db()
    assert open_session.status == SessionStatus.CANCELLED
    assert open_session.cancel_reason == "Болезнь лектора"
    assert ModelLogEntry.objects.filter(action="enrolments.enrolment.cancelled").count() == 3
    with pytest.raises(EnrolmentRefused):
        session_cancel(session=open_session, actor=academy_manager, reason="again")
    assert len(enrolments) == 3


@pytest.mark.django_db
def test_cancellation_needs_a_reason(open_session, academy_manager):
    with pytest.raises(EnrolmentRefused) as err:
        session_cancel(session=open_session, actor=academy_manager, reason="")
    assert err.value.code == "reason_required"


# -- results -----------------------------------------------------------------------------


def enrolled_in(session, servant):
    return Enrolment.objects.create(
        servant=servant, session=session, status="enrolled", requested_at=session.updated_at
    )


@pytest.mark.django_db
def test_completion_creates_a_qualification_record(past_session, make_servant, academy_manager):
    enrolment = enrolled_in(past_session, make_servant())
    result = enrolment_record_result(
        enrolment=enrolment,
        attended_hours=32,
        passed=True,
        score=decimal.Decimal("87.5"),
        actor=academy_manager,
    )
    assert result.status == EnrolmentStatus.COMPLETED  # 32 of 40 h = 80 %: enough
    record = QualificationRecord.objects.get(enrolment=enrolment)
    assert record.hours == 40 and record.source == "enrolment"
    assert record.completed_on == past_session.ends_on
    assert record.valid_until == add_years(past_session.ends_on, 3)
    assert record.is_current


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours", "passed", "expected"),
    [(31, True, "failed"), (40, False, "failed"), (0, False, "no_show"), (40, True, "completed")],
)
def test_results_follow_attendance_share_and_pass(
    past_session, make_servant, academy_manager, hours, passed, expected
):
    enrolment = enrolled_in(past_session, make_servant())
    result = enrolment_record_result(
        enrolment=enrolment, attended_hours=hours, passed=passed, actor=academy_manager
    )
    assert result.status == expected
    assert QualificationRecord.objects.filter(enrolment=enrolment).exists() is (
        expected == "completed"
    )


@pytest.mark.django_db
def test_a_changed_result_withdraws_the_record_but_keeps_it(
    past_session, make_servant, academy_manager
):
    enrolment = enrolled_in(past_session, make_servant())
    enrolment_record_result(
        enrolment=enrolment, attended_hours=40, passed=True, actor=academy_manager
    )
    enrolment_record_result(
        enrolment=enrolment, attended_hours=10, passed=True, actor=academy_manager
    )
    record = QualificationRecord.objects.get(enrolment=enrolment)
    assert not record.is_current
    assert record.get_correction_reason_display()  # says what the result changed to
    enrolment_record_result(
        enrolment=enrolment, attended_hours=40, passed=True, actor=academy_manager
    )
    assert QualificationRecord.objects.filter(enrolment=enrolment).count() == 2
    assert QualificationRecord.objects.filter(enrolment=enrolment, is_current=True).count() == 1


@pytest.mark.django_db
def test_results_are_refused_before_the_start_and_for_the_wrong_status(
    open_session, past_session, make_servant, academy_manager
):
    future = enrolled_in(open_session, make_servant())
    with pytest.raises(EnrolmentRefused) as err:
        enrolment_record_result(
            enrolment=future, attended_hours=40, passed=True, actor=academy_manager
        )
    assert err.value.code == "not_started"
    withdrawn = enrolled_in(past_session, make_servant())
    Enrolment.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    with pytest.raises(EnrolmentRefused) as err:
        enrolment_record_result(
            enrolment=withdrawn, attended_hours=40, passed=True, actor=academy_manager
        )
    assert err.value.code == "not_enrolled"
    with pytest.raises(EnrolmentRefused) as err:
        enrolment_record_result(
            enrolment=enrolled_in(past_session, make_servant()),
            attended_hours=41,
            passed=True,
            actor=academy_manager,
        )
    assert err.value.code == "hours"


@pytest.mark.django_db
def test_only_the_academy_records_results(past_session, make_servant, hr_officer_a):
    enrolment = enrolled_in(past_session, make_servant())
    with pytest.raises(PermissionDenied):
        enrolment_record_result(
            enrolment=enrolment, attended_hours=40, passed=True, actor=hr_officer_a
        )


@pytest.mark.django_db
def test_a_correction_supersedes_and_both_stay_visible(past_session, make_servant, academy_manager):
    enrolment = enrolled_in(past_session, make_servant())
    enrolment_record_result(
        enrolment=enrolment, attended_hours=40, passed=True, actor=academy_manager
    )
    old = QualificationRecord.objects.get()
    new = qualification_record_correct(
        record=old, actor=academy_manager, reason="Часы указаны неверно", hours=36
    )
    old.refresh_from_db()
    assert (old.is_current, old.hours) == (False, 40)
    assert (new.is_current, new.hours, new.supersedes) == (True, 36, old)
    assert old.superseded_by == new
    with pytest.raises(EnrolmentRefused):
        qualification_record_correct(record=old, actor=academy_manager, reason="x", hours=1)
    assert ModelLogEntry.objects.filter(action="enrolments.record.corrected").exists()


@pytest.mark.django_db
def test_reminders_go_once_three_days_before(
    make_servant, django_capture_on_commit_callbacks, mailoutbox, today
):
    from enrolments.services import enrolment_send_reminders

    session = SessionFactory(
        starts_on=today + datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=4)
    )
    later = SessionFactory(starts_on=today + datetime.timedelta(days=9))
    for s in (session, later):
        Enrolment.objects.create(
            servant=make_servant(), session=s, status="enrolled", requested_at=s.updated_at
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert enrolment_send_reminders() == 1
        assert enrolment_send_reminders() == 0
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_unpublished_programmes_cannot_be_enrolled(make_servant):
    session = SessionFactory(programme=ProgrammeFactory(live=False))
    servant = make_servant()
    with pytest.raises(EnrolmentRefused) as err:
        request(servant, session)
    assert err.value.code == "not_published"


@pytest.mark.django_db
def test_nobody_is_moved_from_the_queue_into_a_started_session(
    open_session, make_servant, academy_manager, today
):
    open_session.capacity = 1
    open_session.save()
    holder, waiting = make_servant(), make_servant()
    held = request(holder, open_session)
    queued = request(waiting, open_session)
    open_session.starts_on = today - datetime.timedelta(days=1)
    open_session.save()
    enrolment_withdraw(enrolment=held, actor=academy_manager)
    queued.refresh_from_db()
    assert queued.status == "waitlisted"
