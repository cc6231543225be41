"""Reads for nominations: who is due for training, whom a user may nominate, into which
sessions, and the nominations a user or a person sees. Never imports services."""

import datetime
from collections import defaultdict
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import Session, SessionStatus
from enrolments.models import QualificationRecord
from enrolments.requirements import TrainingRequirements, training_requirement_status
from enrolments.selectors import sessions_with_seats
from people.models import CivilServant
from people.scoping import scope_queryset
from promotions.services import REMIND_WITHIN_DAYS

from .models import Nomination, WithdrawalRequest, WithdrawalStatus

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
    `last_request` (its newest withdrawal request) set: two queries."""
    nominations = list(
        Nomination.objects.filter(servant=servant)
        .select_related("session__programme", "enrolment", "nominated_by", "servant__agency")
        .order_by("-created_at", "-pk")
    )
    requests = defaultdict(list)
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
