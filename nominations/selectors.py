"""Reads for nominations: who is due for training, whom a user may nominate, into which
sessions, and the nominations a user or a person sees. Never imports services."""

import datetime
from collections import defaultdict
from typing import NamedTuple

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import Session, SessionStatus
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from enrolments.requirements import (
    COUNTED_KINDS,
    TrainingRequirements,
    training_requirement_status,
)
from enrolments.selectors import sessions_with_seats
from people.models import CivilServant
from people.scoping import scope_queryset
from promotions.services import REMIND_WITHIN_DAYS

from .models import (
    Assignment,
    AssignmentStatus,
    Nomination,
    WithdrawalRequest,
    WithdrawalStatus,
)

# What makes a person due for training (TrainingDue.code).
RETRAINING = "retraining"  # retraining after a first appointment not done yet (due or late)
SHORT = "short"  # the hours of the training requirement are not met now
LAPSES = "lapses"  # met now, lapses within REMIND_WITHIN_DAYS unless more is completed


class TrainingDue(NamedTuple):
    code: str
    date: datetime.date | None = None
    hours: int = 0

    def as_basis(self) -> dict:
        return {
            "code": self.code,
            "date": self.date.isoformat() if self.date else None,
            "hours": self.hours,
        }

    @classmethod
    def from_basis(cls, basis: dict) -> "TrainingDue | None":
        if not basis or "code" not in basis:
            return None
        day = basis.get("date")
        return cls(
            basis["code"],
            datetime.date.fromisoformat(day) if day else None,
            basis.get("hours") or 0,
        )

    @property
    def sentence(self) -> str:
        """In the active language: why the person is due."""
        day = date_format(self.date, "d.m.Y") if self.date else ""
        if self.code == RETRAINING and self.date and self.date < timezone.localdate():
            return _("Retraining after the first appointment was due by %(date)s: overdue.") % {
                "date": day
            }
        if self.code == RETRAINING:
            return _("Retraining after the first appointment is due by %(date)s.") % {"date": day}
        if self.code == SHORT:
            return ngettext(
                "The training requirement is not met: %(hours)s academic hour missing.",
                "The training requirement is not met: %(hours)s academic hours missing.",
                self.hours,
            ) % {"hours": self.hours}
        return _("The training requirement lapses on %(date)s.") % {"date": day}


def training_due(
    servants: list[CivilServant], *, as_of: datetime.date, within_days: int = REMIND_WITHIN_DAYS
) -> dict[int, TrainingDue]:
    """Per servant id, why they are due for training on `as_of` (absent: not due): the
    training requirement (`enrolments.requirements`, the one rule the eligibility engine,
    My learning and the waiting list read) with the reminders' horizon of
    `promotions.services.REMIND_WITHIN_DAYS`. Two queries whatever the number of people."""
    if not servants:
        return {}
    requirements = TrainingRequirements.load()
    records = defaultdict(list)
    rows = (
        QualificationRecord.objects.filter(
            servant__in=[s.pk for s in servants], is_current=True, completed_on__lte=as_of
        )
        .only("servant_id", "kind", "hours", "completed_on", "is_current")
        .order_by("servant_id", "-completed_on", "pk")
    )
    for record in rows:
        records[record.servant_id].append(record)
    horizon = as_of + datetime.timedelta(days=within_days)
    due = {}
    for servant in servants:
        status = training_requirement_status(
            servant, as_of, records=records[servant.pk], requirements=requirements
        )
        if status.retraining_checked and status.retraining_record is None:
            due[servant.pk] = TrainingDue(RETRAINING, status.retraining_due_on)
        elif not status.hours_met:
            due[servant.pk] = TrainingDue(SHORT, hours=status.missing_hours)
        elif status.lapses_on is not None and status.lapses_on <= horizon:
            due[servant.pk] = TrainingDue(LAPSES, status.lapses_on)
    return due


def nominable_servants(
    user, *, agency=None, category: str = "", query: str = ""
) -> QuerySet[CivilServant]:
    """The people `user` may nominate (people.scoping), filtered."""
    servants = scope_queryset(CivilServant.objects.all(), user).select_related("agency", "position")
    if agency is not None:
        servants = servants.filter(agency=agency)
    if category:
        servants = servants.filter(position__category=category)
    for word in query.split():
        servants = servants.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    return servants.order_by("last_name", "first_name", "pk")


def sessions_for_nomination(*, today: datetime.date) -> QuerySet[Session]:
    """Scheduled sessions of published programmes that have not started, soonest first, with
    their seats (`free_seats`, `waitlist_length`)."""
    return (
        sessions_with_seats(
            Session.objects.filter(
                status=SessionStatus.SCHEDULED, starts_on__gt=today, programme__live=True
            )
        )
        .select_related("programme")
        .order_by("starts_on", "pk")
    )


def nominations_visible_to(user) -> QuerySet[Nomination]:
    return scope_queryset(Nomination.objects.all(), user, servant_path="servant").select_related(
        "servant__agency", "session__programme", "enrolment", "nominated_by"
    )


def nominations_of(servant: CivilServant) -> list[Nomination]:
    """The person's nominations, newest first, each with `pending_request` and
    `last_request` (its newest withdrawal request) set: two queries (one if there are none)."""
    nominations = list(
        Nomination.objects.filter(servant=servant)
        .select_related("session__programme", "enrolment", "nominated_by", "servant__agency")
        .order_by("-created_at", "-pk")
    )
    requests = defaultdict(list)
    if nominations:  # most people were never nominated: no second query for them
        for request in WithdrawalRequest.objects.filter(nomination__in=nominations).order_by(
            "-requested_at", "-pk"
        ):
            requests[request.nomination_id].append(request)
    for nomination in nominations:
        mine = requests[nomination.pk]
        nomination.last_request = mine[0] if mine else None
        nomination.pending_request = next(
            (r for r in mine if r.status == WithdrawalStatus.PENDING), None
        )
    return nominations


def pending_withdrawal_requests(user) -> QuerySet[WithdrawalRequest]:
    return (
        scope_queryset(
            WithdrawalRequest.objects.filter(status=WithdrawalStatus.PENDING),
            user,
            servant_path="nomination__servant",
        )
        .select_related(
            "nomination__servant__agency", "nomination__session__programme", "nomination__enrolment"
        )
        .order_by("requested_at", "pk")
    )


# -- mandatory training (assignments) ----------------------------------------------------------

# Enrolments that show the assigned training is under way.
UNDER_WAY = (
    EnrolmentStatus.PENDING_APPROVAL,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.COMPLETED,
)
OPEN_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS, AssignmentStatus.OVERDUE)


def _records_since_assigned():
    return QualificationRecord.objects.filter(
        servant=OuterRef("servant"), is_current=True, completed_on__gte=OuterRef("assigned_on")
    )


def _enrolments_since_assigned():
    """Active enrolments of the person in sessions that end on or after the assignment day
    (a nomination is an enrolment too)."""
    return Enrolment.objects.filter(
        servant=OuterRef("servant"),
        status__in=UNDER_WAY,
        session__ends_on__gte=OuterRef("assigned_on"),
    )


def assignments_with_status(queryset: QuerySet[Assignment], *, today: datetime.date):
    """`queryset` annotated with `status` (AssignmentStatus), computed in the database from
    qualification records (imported ones included) and enrolments, never stored:

    - completed: a programme assignment, when a current record of that programme was completed
      on or after the day it was assigned (`completed_record_id`); an hours assignment, when
      the current records of qualification upgrade or retraining completed since then sum to
      its hours (`hours_done`);
    - overdue: not completed and the due date has passed;
    - in progress: an enrolment (or nomination) under way in a session of the programme (for
      hours: of any upgrade or retraining programme) that ends on or after the assignment day;
    - assigned: otherwise; cancelled ones are `cancelled`.

    One query for any number of rows (correlated subqueries)."""
    hours_done = Coalesce(
        Subquery(
            _records_since_assigned()
            .filter(kind__in=COUNTED_KINDS)
            .order_by()
            .values("servant")
            .annotate(total=Sum("hours"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )
    record = Subquery(
        _records_since_assigned()
        .filter(programme=OuterRef("programme"))
        .order_by("completed_on", "pk")
        .values("pk")[:1]
    )
    enrolled_programme = Exists(
        _enrolments_since_assigned().filter(session__programme=OuterRef("programme"))
    )
    enrolled_counted = Exists(
        _enrolments_since_assigned().filter(session__programme__kind__in=COUNTED_KINDS)
    )
    completed = Q(programme__isnull=False, completed_record_id__isnull=False) | Q(
        programme__isnull=True, hours_done__gte=F("hours")
    )
    under_way = Q(programme__isnull=False, enrolled_programme=True) | Q(
        programme__isnull=True, enrolled_counted=True
    )
    return queryset.annotate(
        hours_done=hours_done,
        completed_record_id=record,
        enrolled_programme=enrolled_programme,
        enrolled_counted=enrolled_counted,
    ).annotate(
        status=Case(
            When(cancelled_at__isnull=False, then=Value(AssignmentStatus.CANCELLED)),
            When(completed, then=Value(AssignmentStatus.COMPLETED)),
            When(due_on__lt=today, then=Value(AssignmentStatus.OVERDUE)),
            When(under_way, then=Value(AssignmentStatus.IN_PROGRESS)),
            default=Value(AssignmentStatus.ASSIGNED),
            output_field=CharField(),
        )
    )


def assignments_visible_to(user, *, today: datetime.date) -> QuerySet[Assignment]:
    """The assignments `user` sees (an HR officer: their state bodies), with their status."""
    return assignments_with_status(
        scope_queryset(Assignment.objects.all(), user, servant_path="servant"), today=today
    ).select_related("servant__agency", "programme", "assigned_by")


def status_counts(queryset: QuerySet[Assignment]) -> dict[str, int]:
    """Per status, how many of the (status-annotated) `queryset`: one query."""
    counts = dict.fromkeys(AssignmentStatus.values, 0)
    for row in queryset.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def attach_completions(assignments: list[Assignment]) -> list[Assignment]:
    """Set `completed_by` (the qualification record that completed it, or None) on each
    status-annotated assignment: the programme's record, or for hours the record with which
    the hours since the assignment day reached the required sum. One query for the list."""
    done = [a for a in assignments if a.status == AssignmentStatus.COMPLETED]
    for assignment in assignments:
        assignment.completed_by = None
    if not done:
        return assignments
    records = defaultdict(list)
    rows = QualificationRecord.objects.filter(
        servant__in={a.servant_id for a in done},
        is_current=True,
        completed_on__gte=min(a.assigned_on for a in done),
    ).order_by("completed_on", "pk")
    for record in rows:
        records[record.servant_id].append(record)
    for assignment in done:
        mine = [
            r for r in records[assignment.servant_id] if r.completed_on >= assignment.assigned_on
        ]
        if assignment.programme_id is not None:
            assignment.completed_by = next(
                (r for r in mine if r.pk == assignment.completed_record_id), None
            )
            continue
        total = 0
        for record in mine:
            if record.kind in COUNTED_KINDS:
                total += record.hours
                if total >= assignment.hours:
                    assignment.completed_by = record
                    break
    return assignments


def open_assignments_of(servant: CivilServant, *, today: datetime.date) -> list[Assignment]:
    """The person's assignments not completed nor cancelled, soonest due first. Most people
    have none: a plain query finds that before the status query (costly to build) is run."""
    ids = list(
        Assignment.objects.filter(servant=servant, cancelled_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return []
    return list(
        assignments_with_status(Assignment.objects.filter(pk__in=ids), today=today)
        .filter(status__in=OPEN_STATUSES)
        .select_related("programme")
        .order_by("due_on", "pk")
    )
