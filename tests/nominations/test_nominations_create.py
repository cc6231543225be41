"""nominations.services: preview and confirm, the bad inputs, the trail and the e-mail."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import translation
from wagtail.models import ModelLogEntry

from courses.models import SessionStatus
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services import enrolment_request
from nominations import services
from nominations.models import Nomination, NominatorRole
from nominations.services import NominationRefused
from tests.factories import ServantFactory, SessionFactory

pytestmark = pytest.mark.django_db

REASON = "Qualification requirement of the post"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def results(plan):
    return [(o.servant.pk, o.result, o.place) for o in plan.outcomes]


def test_it_enrols_three_and_waitlists_two_with_their_places(
    hr_officer_a, session_of_three, people_of_a
):
    preview = services.nomination_preview(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a
    )
    assert Enrolment.objects.count() == 0  # a preview writes nothing
    plan = services.nominations_create(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a, reason=REASON
    )
    expected = [(p.pk, "enrolled", None) for p in people_of_a[:3]] + [
        (people_of_a[3].pk, "waitlisted", 1),
        (people_of_a[4].pk, "waitlisted", 2),
    ]
    assert results(preview) == results(plan) == expected
    assert preview.free_before == 3 and plan.free_after == 0
    assert "place 2 on the waiting list" in plan.outcomes[4].reason
    statuses = [Enrolment.objects.get(servant=p).status for p in people_of_a]
    assert statuses == ["enrolled"] * 3 + ["waitlisted"] * 2
    nomination = Nomination.objects.get(servant=people_of_a[0])
    assert nomination.nominated_by == hr_officer_a
    assert nomination.nominated_as == NominatorRole.HR_OFFICER
    assert nomination.reason == REASON
    assert nomination.enrolment.session == session_of_three
    assert Nomination.objects.values("batch").distinct().count() == 1


def test_a_session_already_holding_people_waitlists_after_them(
    hr_officer_a, session_of_three, people_of_a, make_other
):
    for _ in range(4):  # three seats taken and one person waiting, by self-enrolment
        other = make_other()
        enrolment_request(servant=other, session=session_of_three, actor=other.user)
    plan = services.nominations_create(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a[:2], reason=REASON
    )
    assert [(o.result, o.place) for o in plan.outcomes] == [("waitlisted", 2), ("waitlisted", 3)]


@pytest.fixture
def make_other(agency_a):
    from core import authorization as roles
    from tests.factories import UserFactory

    def make():
        servant = ServantFactory(agency=agency_a)
        servant.user = UserFactory(username=f"o-{servant.iin}", role=roles.CIVIL_SERVANTS)
        servant.save(update_fields=["user"])
        return servant

    return make


def test_it_refuses_a_person_of_another_state_body_by_name(
    hr_officer_a, session_of_three, people_of_a, servant_of_b
):
    plan = services.nominations_create(
        actor=hr_officer_a,
        session=session_of_three,
        servants=[people_of_a[0], servant_of_b],
        reason=REASON,
    )
    refused = plan.outcomes[1]
    assert refused.result == "refused"
    assert servant_of_b.full_name in refused.reason and "another state body" in refused.reason
    assert not Enrolment.objects.filter(servant=servant_of_b).exists()
    assert not Nomination.objects.filter(servant=servant_of_b).exists()
    assert Nomination.objects.filter(servant=people_of_a[0]).exists()


def test_the_academy_nominates_anyone(academy_manager, session_of_three, servant_of_b):
    plan = services.nominations_create(
        actor=academy_manager, session=session_of_three, servants=[servant_of_b], reason=REASON
    )
    assert plan.enrolled == 1
    assert Nomination.objects.get().nominated_as == NominatorRole.ACADEMY


def test_a_civil_servant_may_not_nominate(session_of_three, people_of_a):
    with pytest.raises(PermissionDenied):
        services.nominations_create(
            actor=people_of_a[0].user,
            session=session_of_three,
            servants=people_of_a[1:2],
            reason=REASON,
        )


def test_it_refuses_twice_naming_the_person(hr_officer_a, session_of_three, people_of_a):
    services.nominations_create(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a, reason=REASON
    )
    again = services.nominations_create(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a[2:4], reason=REASON
    )
    assert [o.result for o in again.outcomes] == ["refused", "refused"]
    assert "already enrolled" in again.outcomes[0].reason
    assert people_of_a[2].full_name in again.outcomes[0].reason
    assert "already on the waiting list" in again.outcomes[1].reason
    assert Nomination.objects.count() == 5 and Enrolment.objects.count() == 5


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.FINISHED])
def test_it_refuses_a_cancelled_or_finished_session_and_writes_nothing(
    hr_officer_a, session_of_three, people_of_a, status
):
    session_of_three.status = status
    session_of_three.save()
    for call in (services.nomination_preview, services.nominations_create):
        kwargs = {"reason": REASON} if call is services.nominations_create else {}
        with pytest.raises(NominationRefused) as refused:
            call(actor=hr_officer_a, session=session_of_three, servants=people_of_a, **kwargs)
        word = "cancelled" if status == SessionStatus.CANCELLED else "finished"
        assert word in refused.value.messages[0]
    assert not Enrolment.objects.exists() and not Nomination.objects.exists()


def test_it_refuses_a_session_that_ended(hr_officer_a, people_of_a, today):
    past = SessionFactory(
        starts_on=today - datetime.timedelta(days=5), ends_on=today - datetime.timedelta(days=1)
    )
    with pytest.raises(NominationRefused, match="finished"):
        services.nominations_create(
            actor=hr_officer_a, session=past, servants=people_of_a, reason=REASON
        )


def test_a_reason_is_required(hr_officer_a, session_of_three, people_of_a):
    with pytest.raises(NominationRefused, match="reason"):
        services.nominations_create(
            actor=hr_officer_a, session=session_of_three, servants=people_of_a, reason="  "
        )
    assert not Enrolment.objects.exists()


def test_a_programme_needing_approval_is_approved_by_the_nomination(
    hr_officer_a, session_of_three, people_of_a
):
    session_of_three.programme.requires_approval = True
    session_of_three.programme.save()
    services.nominations_create(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a[:1], reason=REASON
    )
    enrolment = Enrolment.objects.get()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.decided_by == hr_officer_a


def test_it_leaves_history_and_audit_entries(hr_officer_a, session_of_three, people_of_a):
    services.nominations_create(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a[:2], reason=REASON
    )
    nomination = Nomination.objects.get(servant=people_of_a[0])
    entry = ModelLogEntry.objects.get(
        action="nominations.nomination.created", object_id=str(nomination.pk)
    )
    assert entry.user == hr_officer_a
    assert entry.data["reason"] == REASON and entry.data["status"] == "enrolled"
    enrolled = ModelLogEntry.objects.filter(action="enrolments.enrolment.enrolled")
    assert enrolled.count() == 2 and {e.user for e in enrolled} == {hr_officer_a}
    assert (
        LogEntry.objects.get_for_object(nomination).filter(action=LogEntry.Action.CREATE).exists()
    )


def test_the_person_is_emailed_once_in_their_language(
    hr_officer_a, session_of_three, people_of_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.nominations_create(
            actor=hr_officer_a, session=session_of_three, servants=people_of_a[:2], reason=REASON
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["nominee0@example.kz", "nominee1@example.kz"]
    kazakh = next(m for m in mail.outbox if m.to == ["nominee0@example.kz"])
    russian = next(m for m in mail.outbox if m.to == ["nominee1@example.kz"])
    assert kazakh.extra_headers["Content-Language"] == "kk"
    assert russian.extra_headers["Content-Language"] == "ru"
    assert "Сәлеметсіз" in kazakh.body or "Сәлем" in kazakh.body
    assert "Здравствуйте" in russian.body
    assert REASON in russian.body
    # The task run again (a retry) sends nothing: the notification was claimed.
    from notifications.models import Notification
    from notifications.tasks import send_notification_email

    notification = Notification.objects.get(servant=Nomination.objects.first().servant)
    assert send_notification_email.call(notification.pk) is False
    assert len(mail.outbox) == 2


def test_training_due_people_are_found_by_the_requirement(agency_a, today):
    from nominations.selectors import RETRAINING, SHORT, training_due

    newcomer = ServantFactory(
        agency=agency_a, first_appointed_on=today - datetime.timedelta(days=30)
    )
    short = ServantFactory(agency=agency_a)
    due = training_due([newcomer, short], as_of=today)
    assert due[newcomer.pk].code == RETRAINING
    assert due[short.pk].code == SHORT and due[short.pk].hours > 0
