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


def hours_in_window(servant, *, as_of, years: int = 3) -> int:
    """Academic hours of current records completed in the `years` before `as_of`."""
    from django.db.models import Sum

    from core.dates import add_years

    start = add_years(as_of, -years)
    total = (
        records_of(servant)
        .filter(completed_on__gt=start, completed_on__lte=as_of)
        .aggregate(total=Sum("hours"))["total"]
    )
    return total or 0


def hours_of_records(records, *, as_of, years: int = 3) -> int:
    """`hours_in_window` over records already loaded (current ones; others are skipped)."""
    from core.dates import add_years

    start = add_years(as_of, -years)
    return sum(r.hours for r in records if r.is_current and start < r.completed_on <= as_of)
