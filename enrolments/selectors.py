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


def session_seats_taken(session: Session) -> int:
    return session.enrolments.filter(status__in=SEAT_HOLDING).count()


def enrolments_of(servant) -> QuerySet:
    from .models import Enrolment

    return (
        Enrolment.objects.filter(servant=servant)
        .select_related("session__programme")
        .order_by("-session__starts_on", "-pk")
    )


def waitlist_places(enrolments) -> dict[int, int]:
    """Queue places for several waitlisted enrolments, one query per session involved."""
    from .models import Enrolment

    places: dict[int, int] = {}
    waiting = [e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED]
    for session_id in {e.session_id for e in waiting}:
        queue = Enrolment.objects.filter(
            session_id=session_id, status=EnrolmentStatus.WAITLISTED
        ).order_by("-priority", "requested_at", "pk")
        for place, pk in enumerate(queue.values_list("pk", flat=True), start=1):
            places[pk] = place
    return places


def records_of(servant, *, include_superseded: bool = False) -> QuerySet:
    from .models import QualificationRecord

    records = QualificationRecord.objects.filter(servant=servant).select_related(
        "programme", "supersedes"
    )
    if not include_superseded:
        records = records.filter(is_current=True)
    return records.order_by("-completed_on", "-pk")


def hours_in_window(servant, *, as_of, years: int = 3) -> int:
    """Academic hours of current records completed in the `years` before `as_of`."""
    from django.db.models import Sum

    from .services import add_years

    start = add_years(as_of, -years)
    total = (
        records_of(servant)
        .filter(completed_on__gt=start, completed_on__lte=as_of)
        .aggregate(total=Sum("hours"))["total"]
    )
    return total or 0
