"""The nominated person asks to be withdrawn; HR decides."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from wagtail.models import ModelLogEntry

from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services import EnrolmentRefused, enrolment_withdraw
from nominations import services
from nominations.models import WithdrawalStatus
from nominations.services import NominationRefused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def plan(hr_officer_a, session_of_three, people_of_a):
    return services.nominations_create(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a, reason="Due"
    )


def test_the_person_cannot_withdraw_themselves_but_may_ask(plan, people_of_a):
    nomination = plan.outcomes[0].nomination
    person = people_of_a[0]
    with pytest.raises(EnrolmentRefused, match="ask to be withdrawn"):
        enrolment_withdraw(enrolment=nomination.enrolment, actor=person.user)
    assert Enrolment.objects.get(pk=nomination.enrolment_id).status == EnrolmentStatus.ENROLLED
    request = services.withdrawal_request(nomination=nomination, actor=person.user, reason="Ill")
    assert request.status == WithdrawalStatus.PENDING
    with pytest.raises(NominationRefused, match="already asked"):
        services.withdrawal_request(nomination=nomination, actor=person.user, reason="Again")
    assert ModelLogEntry.objects.filter(action="nominations.withdrawal.requested").count() == 1


def test_only_the_person_may_ask(plan, people_of_a, hr_officer_a):
    with pytest.raises(PermissionDenied):
        services.withdrawal_request(
            nomination=plan.outcomes[0].nomination, actor=people_of_a[1].user, reason="x"
        )


def test_approval_withdraws_and_moves_the_queue(plan, people_of_a, hr_officer_a):
    nomination = plan.outcomes[0].nomination
    request = services.withdrawal_request(
        nomination=nomination, actor=people_of_a[0].user, reason="Ill"
    )
    services.withdrawal_decide(request=request, approve=True, actor=hr_officer_a)
    request.refresh_from_db()
    assert request.status == WithdrawalStatus.APPROVED and request.decided_by == hr_officer_a
    assert Enrolment.objects.get(pk=nomination.enrolment_id).status == EnrolmentStatus.WITHDRAWN
    # The first of the waiting list (the fourth person) took the seat.
    assert Enrolment.objects.get(servant=people_of_a[3]).status == EnrolmentStatus.ENROLLED
    assert ModelLogEntry.objects.filter(action="nominations.withdrawal.approved").count() == 1


def test_rejection_needs_a_reason_and_keeps_the_enrolment(plan, people_of_a, hr_officer_a):
    nomination = plan.outcomes[1].nomination
    request = services.withdrawal_request(
        nomination=nomination, actor=people_of_a[1].user, reason="Busy"
    )
    with pytest.raises(NominationRefused, match="reason"):
        services.withdrawal_decide(request=request, approve=False, actor=hr_officer_a)
    services.withdrawal_decide(
        request=request, approve=False, actor=hr_officer_a, reason="The training is mandatory"
    )
    request.refresh_from_db()
    assert request.status == WithdrawalStatus.REJECTED
    assert request.decision_reason == "The training is mandatory"
    assert Enrolment.objects.get(pk=nomination.enrolment_id).status == EnrolmentStatus.ENROLLED
    with pytest.raises(NominationRefused, match="already been decided"):
        services.withdrawal_decide(request=request, approve=True, actor=hr_officer_a)


def test_hr_of_another_body_may_not_decide(plan, people_of_a, agency_b):
    from tests.factories import hr_officer_for

    request = services.withdrawal_request(
        nomination=plan.outcomes[0].nomination, actor=people_of_a[0].user, reason="Ill"
    )
    with pytest.raises(PermissionDenied):
        services.withdrawal_decide(request=request, approve=True, actor=hr_officer_for(agency_b))
