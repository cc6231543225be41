"""Reads about enrolments and seats. Free seats are computed, never counted down."""

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from courses.models import Session

from .models import SEAT_HOLDING, EnrolmentStatus


def sessions_with_seats(queryset: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Annotate `seats_taken`, `free_seats` and `waitlist_length` in the same query."""
    queryset = Session.objects.all() if queryset is None else queryset
    return queryset.annotate(
        seats_taken=Count("enrolments", filter=Q(enrolments__status__in=SEAT_HOLDING)),
        waitlist_length=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)
        ),
    ).annotate(
        free_seats=Greatest(
            Coalesce("capacity", Value(0)) - Coalesce("seats_taken", Value(0)),
            Value(0),
            output_field=IntegerField(),
        )
    )


def sessions_at_a_glance(queryset: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """`sessions_with_seats` plus `pending_count` (requests awaiting approval), all in the one
    query the academy's session list reads."""
    return sessions_with_seats(queryset).annotate(
        pending_count=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.PENDING_APPROVAL)
        )
    )


def roster(enrolments: QuerySet) -> list:
    """The enrolments of a session (all, or those a reader may see), each with `queue_place`
    (its place in the whole waiting list; None unless waiting): seat holders first by name,
    then the waiting list in its published order, then those who left or were turned down.
    Two queries, however many people."""
    enrolments = list(enrolments.select_related("servant__agency"))
    places = waitlist_places(enrolments)
    for enrolment in enrolments:
        enrolment.queue_place = places.get(enrolment.pk)

    def order(enrolment):
        if enrolment.status in SEAT_HOLDING:
            group = 0
        elif enrolment.status == EnrolmentStatus.WAITLISTED:
            group = 1
        else:
            group = 2
        servant = enrolment.servant
        return (group, enrolment.queue_place or 0, servant.last_name, servant.first_name)

    return sorted(enrolments, key=order)


def session_seats_taken(session: Session) -> int:
    return session.enrolments.filter(status__in=SEAT_HOLDING).count()


def waiting_list(session: Session) -> QuerySet:
    """The session's waiting list in its published order: priority, then time of request,
    then id (the earlier insert)."""
    from .models import Enrolment

    return Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED).order_by(
        "-priority", "requested_at", "pk"
    )


def _ahead_of(enrolment) -> Q:
    """Ahead in the queue: higher priority; or same priority and earlier; or a tie on both
    broken by the lower id (the earlier insert)."""
    return (
        Q(priority__gt=enrolment.priority)
        | Q(priority=enrolment.priority, requested_at__lt=enrolment.requested_at)
        | Q(priority=enrolment.priority, requested_at=enrolment.requested_at, pk__lt=enrolment.pk)
    )


def waitlist_place(enrolment) -> int | None:
    """1-based place in the queue (priority first, then time of request), None if not waiting."""
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    return waiting_list(enrolment.session).filter(_ahead_of(enrolment)).count() + 1


def enrolments_of(servant) -> QuerySet:
    from .models import Enrolment

    return (
        Enrolment.objects.filter(servant=servant)
        .select_related("session__programme")
        .order_by("-session__starts_on", "-pk")
    )


def waitlist_places(enrolments) -> dict[int, int]:
    """Queue places for several waitlisted enrolments: one query for all their sessions (each
    session's waiting list numbered in its published order)."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    from .models import Enrolment

    waiting = {e.pk for e in enrolments if e.status == EnrolmentStatus.WAITLISTED}
    if not waiting:
        return {}
    queues = (
        Enrolment.objects.filter(
            session_id__in={e.session_id for e in enrolments if e.pk in waiting},
            status=EnrolmentStatus.WAITLISTED,
        )
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("session_id")],
                order_by=[F("priority").desc(), F("requested_at").asc(), F("pk").asc()],
            )
        )
        .order_by()
        .values_list("pk", "place")
    )
    return {pk: place for pk, place in queues if pk in waiting}


def records_of(servant, *, include_superseded: bool = False) -> QuerySet:
    from .models import QualificationRecord

    records = QualificationRecord.objects.filter(servant=servant).select_related(
        "programme", "supersedes"
    )
    if not include_superseded:
        records = records.filter(is_current=True)
    return records.order_by("-completed_on", "-pk")
