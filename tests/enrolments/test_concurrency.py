"""Real concurrency on PostgreSQL: many requests at the same moment never overbook."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import translation

from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.selectors import waitlist_place
from enrolments.services import enrolment_request, enrolment_withdraw
from people.models import CivilServant

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test runs it)"
    ),
]


def run_at_once(worker, arguments):
    # Messages in English so assertions can read them whatever the default language is.
    """Start one thread per argument, release them together, wait for all."""
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []
    lock = threading.Lock()

    def target(argument):
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                result = worker(argument)
            with lock:
                results.append(result)
        except Exception as exc:  # collected and asserted on below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def request_by_id(session):
    def worker(servant_id):
        servant = CivilServant.objects.select_related("user", "position").get(pk=servant_id)
        return enrolment_request(servant=servant, session=session, actor=servant.user).pk

    return worker


@pytest.mark.django_db(transaction=True)
def test_fifty_requests_at_once_fill_twenty_seats_and_queue_thirty(open_session, make_servant):
    open_session.capacity = 20
    open_session.save()
    servants = [make_servant() for _ in range(50)]
    results, errors = run_at_once(request_by_id(open_session), [s.pk for s in servants])
    assert errors == []
    assert len(results) == 50
    counts = Counter(
        Enrolment.objects.filter(session=open_session).values_list("status", flat=True)
    )
    assert counts == {EnrolmentStatus.ENROLLED: 20, EnrolmentStatus.WAITLISTED: 30}
    waiting = list(
        Enrolment.objects.filter(session=open_session, status="waitlisted").order_by(
            "requested_at", "pk"
        )
    )
    assert [waitlist_place(e) for e in waiting] == list(range(1, 31))

    # Five withdraw: the first five of the queue take their seats, in order.
    enrolled = list(Enrolment.objects.filter(session=open_session, status="enrolled"))
    for enrolment in enrolled[:5]:
        enrolment_withdraw(enrolment=enrolment, actor=enrolment.servant.user)
    promoted = {e.pk for e in waiting[:5]}
    now_enrolled = set(
        Enrolment.objects.filter(session=open_session, status="enrolled").values_list(
            "pk", flat=True
        )
    )
    assert promoted <= now_enrolled and len(now_enrolled) == 20
    remaining = Enrolment.objects.filter(session=open_session, status="waitlisted")
    assert sorted(waitlist_place(e) for e in remaining) == list(range(1, 26))


@pytest.mark.django_db(transaction=True)
def test_one_servant_clicking_ten_times_at_once_gets_one_enrolment(open_session, make_servant):
    servant = make_servant()
    results, errors = run_at_once(request_by_id(open_session), [servant.pk] * 10)
    assert len(results) == 1
    assert len(errors) == 9
    assert all("You already have an enrolment" in e for e in errors)
    assert Enrolment.objects.filter(servant=servant).count() == 1


@pytest.mark.django_db(transaction=True)
def test_withdrawals_racing_requests_never_overbook(open_session, make_servant):
    open_session.capacity = 5
    open_session.save()
    holders = [make_servant() for _ in range(5)]
    held = [enrolment_request(servant=s, session=open_session, actor=s.user) for s in holders]
    newcomers = [make_servant() for _ in range(10)]

    def worker(item):
        kind, pk = item
        if kind == "withdraw":
            enrolment = Enrolment.objects.select_related("servant__user").get(pk=pk)
            return enrolment_withdraw(enrolment=enrolment, actor=enrolment.servant.user).pk
        return request_by_id(open_session)(pk)

    work = [("withdraw", e.pk) for e in held[:3]] + [("request", s.pk) for s in newcomers]
    results, errors = run_at_once(worker, work)
    assert errors == []
    taken = Enrolment.objects.filter(session=open_session, status="enrolled").count()
    waiting = Enrolment.objects.filter(session=open_session, status="waitlisted").count()
    assert taken == 5 and waiting == 10 - 3
