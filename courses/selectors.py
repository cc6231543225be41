"""Reads for the public catalog. The number of queries never depends on how many rows match."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from .models import Programme, Session, SessionPhase, SessionStatus


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    kind: str = ""
    format: str = ""
    language: str = ""
    category: str = ""
    month: tuple[int, int] | None = None  # (year, month)


def parse_month(value: str) -> tuple[int, int] | None:
    """`2026-03` → (2026, 3); anything else → None."""
    try:
        year, month = (int(part) for part in value.split("-"))
        datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return None
    return year, month


def category_query(category: str) -> Q:
    """Programmes whose audience covers `category` (see people.categories.category_matches)."""
    category = category.strip().upper()
    query = Q(audience_index="") | Q(audience_index__contains=f",{category},")
    query |= Q(audience_index__contains=",*,")
    head = category.rpartition("-")[0]
    if head:
        query |= Q(audience_index__contains=f",{head}-*,")
    for end in range(1, len(category) + 1):
        if category[end - 1] == "-":
            continue  # "C-*" means the C-n categories only: handled by `head` above
        query |= Q(audience_index__contains=f",{category[:end]}*,")
    return query


def upcoming_sessions(
    *, today: datetime.date | None = None, filters: CatalogFilters | None = None
) -> QuerySet[Session]:
    today = today or timezone.localdate()
    sessions = Session.objects.filter(status=SessionStatus.SCHEDULED, ends_on__gte=today)
    if filters and filters.language in {"kk", "ru"}:
        sessions = sessions.filter(language__in=[filters.language, "both"])
    elif filters and filters.language == "both":
        sessions = sessions.filter(language="both")
    if filters and filters.month:
        year, month = filters.month
        sessions = sessions.filter(starts_on__year=year, starts_on__month=month)
    return sessions.order_by("starts_on", "pk")


def programmes_matching(programmes: QuerySet[Programme], query: str) -> QuerySet[Programme]:
    """Programmes whose code, titles or summaries hold every word of `query` (any case, any
    language): the catalog's search and the back office's. Plain substring tests on the
    derived `search_text`, so no character of the query is search-engine syntax and SQLite
    and PostgreSQL answer alike."""
    for word in query.casefold().split()[:8]:
        programmes = programmes.filter(search_text__contains=word)
    return programmes


def catalog_programmes(
    filters: CatalogFilters,
    *,
    today: datetime.date | None = None,
    session_queryset: QuerySet[Session] | None = None,
) -> QuerySet[Programme]:
    """Published programmes matching `filters`, each with `.upcoming` sessions prefetched.

    `session_queryset` lets a caller annotate the sessions (free seats) without this app
    knowing about enrolments.
    """
    sessions = upcoming_sessions(today=today, filters=filters)
    programmes = Programme.objects.filter(live=True)
    programmes = programmes_matching(programmes, filters.q)
    if filters.kind:
        programmes = programmes.filter(kind=filters.kind)
    if filters.format:
        programmes = programmes.filter(format=filters.format)
    if filters.category:
        programmes = programmes.filter(category_query(filters.category))
    if filters.language or filters.month:
        programmes = programmes.filter(pk__in=sessions.values("programme_id"))
    if session_queryset is not None:
        sessions = session_queryset.filter(pk__in=sessions.values("pk")).order_by("starts_on", "pk")
    return programmes.order_by("code").prefetch_related(
        Prefetch("sessions", queryset=sessions, to_attr="upcoming")
    )


def programme_for_public(code: str) -> Programme | None:
    return Programme.objects.filter(live=True, code=code).first()


def phase_query(phase: str, today: datetime.date) -> Q:
    """The sessions in `phase` on `today` (as Session.phase says it)."""
    live = ~Q(status=SessionStatus.CANCELLED)
    finished = Q(status=SessionStatus.FINISHED) | Q(ends_on__lt=today)
    if phase == SessionPhase.UPCOMING:
        return live & ~finished & Q(starts_on__gt=today)
    if phase == SessionPhase.RUNNING:
        return live & ~finished & Q(starts_on__lte=today)
    if phase == SessionPhase.FINISHED:
        return live & finished
    if phase == SessionPhase.CANCELLED:
        return Q(status=SessionStatus.CANCELLED)
    return Q()


def sessions_soonest_first(
    queryset: QuerySet[Session], *, today: datetime.date | None = None
) -> QuerySet[Session]:
    """The academy's working order: sessions still to run or running, the nearest start at
    the top; then the finished ones (and cancelled ones that have passed), latest first."""
    today = today or timezone.localdate()
    over = Case(
        When(ends_on__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return queryset.annotate(_over=over).order_by(
        "_over",
        Case(When(ends_on__gte=today, then=F("starts_on"))).asc(nulls_last=True),
        F("starts_on").desc(),
        "pk",
    )
