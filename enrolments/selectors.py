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
