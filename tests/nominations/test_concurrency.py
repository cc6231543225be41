"""PostgreSQL: a nomination of 50 people while others self-enrol never overbooks."""

from collections import Counter

import pytest
from django.db import connection

from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.selectors import waitlist_place
from nominations import services
from nominations.models import Nomination
from people.models import CivilServant
from tests.enrolments.test_concurrency import request_by_id, run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test runs it)"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_fifty_nominated_while_twenty_self_enrol_never_overbook(
    open_session, make_servant, hr_officer_a
):
    open_session.capacity = 30
    open_session.save()
    nominees = [make_servant() for _ in range(50)]
    self_enrolling = [make_servant() for _ in range(20)]

    def worker(item):
        kind, pk = item
        if kind == "nominate":
            servants = list(
                CivilServant.objects.filter(pk__in=pk)
                .select_related("agency", "position")
                .order_by("pk")
            )
            plan = services.nominations_create(
                actor=hr_officer_a, session=open_session, servants=servants, reason="Due"
            )
            return ("plan", plan.enrolled, plan.waitlisted, plan.refused)
        return request_by_id(open_session)(pk)

    work = [("nominate", [s.pk for s in nominees])] + [("self", s.pk) for s in self_enrolling]
    results, errors = run_at_once(worker, work)
    assert errors == []
    counts = Counter(
        Enrolment.objects.filter(session=open_session).values_list("status", flat=True)
    )
    assert counts == {EnrolmentStatus.ENROLLED: 30, EnrolmentStatus.WAITLISTED: 40}
    assert Nomination.objects.count() == 50
    plan = next(r for r in results if isinstance(r, tuple))
    assert plan[1] + plan[2] == 50 and plan[3] == 0
    waiting = Enrolment.objects.filter(session=open_session, status="waitlisted")
    assert sorted(waitlist_place(e) for e in waiting) == list(range(1, 41))
