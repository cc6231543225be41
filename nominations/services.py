"""Writes for nominations. Views, admin and the demo call these only.

Invariants kept here:
- a nomination enrols through `enrolments.services.enrolment_request`: the same rules, the
  same session lock and the same fair waiting list (priority, then time) as self-enrolment;
- a group is written whole under one lock of the session row, person by person in the
  order given, so the preview's arithmetic (seats left, places) holds unless someone else
  took a seat between the preview and the confirmation; a refused person gets nothing
  written, the others their enrolment, nomination and history entries together;
- a person may be nominated only by an HR officer of their state body or the academy, only
  into a scheduled, published session that has not started and whose window is open, and
  only once while they hold an enrolment in it;
- the nominated person cannot withdraw themselves: they ask, and HR decides (approval
  withdraws through `enrolments.services.enrolment_withdraw`).
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from courses.models import Programme, Session, SessionStatus
from enrolments.models import (
    ACTIVE,
    SEAT_HOLDING,
    UPCOMING,
    Enrolment,
    EnrolmentStatus,
    QualificationRecord,
)
from enrolments.services import (
    EnrolmentRefused,
    can_act_for,
    enrolment_request,
    enrolment_withdraw,
    priority_for,
)
from notifications.models import Kind
from notifications.services import notify, notify_servant_and_officers
from people.authorization import is_academy_manager
from people.models import CivilServant

from .models import (
    Assignment,
    AssignmentSource,
    Nomination,
    NominatorRole,
    WithdrawalRequest,
    WithdrawalStatus,
)
from .selectors import training_due


class NominationRefused(ValidationError):
    """The whole nomination is refused (the session, the reason): nothing is written."""


# What happens to one person (Outcome.result).
ENROLLED = "enrolled"
WAITLISTED = "waitlisted"
REFUSED = "refused"


@dataclass
class Outcome:
    servant: CivilServant
    result: str
    place: int | None = None  # on the waiting list
    reason: str = ""  # why refused (a sentence naming the person), or why waitlisted
    nomination: Nomination | None = None


@dataclass
class Plan:
    """What a nomination does (the preview) or did (the confirmation)."""

    session: Session
    free_before: int
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)

    @property
    def enrolled(self) -> int:
        return self.count(ENROLLED)

    @property
    def waitlisted(self) -> int:
        return self.count(WAITLISTED)

    @property
    def refused(self) -> int:
        return self.count(REFUSED)

    @property
    def free_after(self) -> int:
        return max(self.free_before - self.enrolled, 0)


def may_nominate(user) -> bool:
    """HR officers (for their state bodies) and the academy (for everyone)."""
    from people.authorization import may_decide_enrolments

    return may_decide_enrolments(user)


# -- the rules, as the preview and the confirmation both apply them -----------------------


def _session_refusal(session: Session, today: datetime.date) -> str:
    """Why nobody can be nominated into `session` today ("" when they can)."""
    if session.status == SessionStatus.CANCELLED:
        return _("The session %(session)s has been cancelled.") % {"session": session}
    if session.status == SessionStatus.FINISHED or session.ends_on < today:
        return _("The session %(session)s has finished.") % {"session": session}
    if session.starts_on <= today:
        return _("The session %(session)s has already started.") % {"session": session}
    if not session.programme.live:
        return _("The programme of %(session)s is not published.") % {"session": session}
    if not session.window_is_open(today):
        return _("Enrolment for the session %(session)s is open from %(opens)s to %(closes)s.") % {
            "session": session,
            "opens": session.opens_on.strftime("%d.%m.%Y"),
            "closes": session.closes_on.strftime("%d.%m.%Y"),
        }
    return ""


def _person_refusal(actor, servant: CivilServant, session: Session, held: dict) -> str:
    """Why `servant` cannot be nominated into `session` by `actor` ("" when they can).
    `held`: servant id → status of the enrolment they hold in the session."""
    name = servant.full_name
    if not can_act_for(actor, servant):
        return _(
            "%(name)s works for another state body (%(agency)s): you may nominate people of "
            "your own state bodies only."
        ) % {"name": name, "agency": servant.agency.name}
    programme = session.programme
    if programme.audience_list and not programme.is_open_to(servant.category):
        return _(
            "%(name)s: the programme is for categories %(audience)s; their position's category "
            "is %(category)s."
        ) % {
            "name": name,
            "audience": ", ".join(programme.audience_list),
            "category": servant.category or "—",
        }
    status = held.get(servant.pk)
    if status == EnrolmentStatus.WAITLISTED:
        return _("%(name)s is already on the waiting list of this session.") % {"name": name}
    if status is not None:
        return _("%(name)s is already enrolled in this session (%(status)s).") % {
            "name": name,
            "status": EnrolmentStatus(status).label,
        }
    return ""


def _unique(servants) -> list[CivilServant]:
    seen, unique = set(), []
    for servant in servants:
        if servant.pk not in seen:
            seen.add(servant.pk)
            unique.append(servant)
    return unique


def _held(session: Session, servants) -> dict:
    return dict(
        Enrolment.objects.filter(
            session_id=session.pk, servant__in=[s.pk for s in servants], status__in=ACTIVE
        ).values_list("servant_id", "status")
    )


def _waitlisted_reason(place: int) -> str:
    return _("The session is full: place %(place)s on the waiting list.") % {"place": place}


def nomination_preview(*, actor, session: Session, servants) -> Plan:
    """What `nominations_create` would do now, computed by the same rules and the same
    waiting-list order (priority, then time), without writing or locking anything."""
    if not may_nominate(actor):
        raise PermissionDenied
    today = timezone.localdate()
    servants = _unique(servants)
    refusal = _session_refusal(session, today)
    if refusal:
        raise NominationRefused(refusal, code="session")
    counts = Enrolment.objects.filter(session_id=session.pk).aggregate(
        taken=Count("pk", filter=Q(status__in=SEAT_HOLDING)),
    )
    waiting = list(
        Enrolment.objects.filter(
            session_id=session.pk, status=EnrolmentStatus.WAITLISTED
        ).values_list("priority", flat=True)
    )
    free = max(session.capacity - counts["taken"], 0)
    plan = Plan(session=session, free_before=free)
    held = _held(session, servants)
    for servant in servants:
        refusal = _person_refusal(actor, servant, session, held)
        if refusal:
            plan.outcomes.append(Outcome(servant, REFUSED, reason=refusal))
            continue
        if free > 0:
            free -= 1
            plan.outcomes.append(Outcome(servant, ENROLLED))
            continue
        priority, _basis = priority_for(servant=servant, programme=session.programme, today=today)
        # As enrolment_request counts it: everyone waiting with this priority or higher.
        place = sum(1 for p in waiting if p >= priority) + 1
        waiting.append(priority)
        plan.outcomes.append(Outcome(servant, WAITLISTED, place, _waitlisted_reason(place)))
    return plan


def _lock_session(session: Session) -> Session:
    # The lock every seat-using write takes (enrolments.services): held for the whole group,
    # so self-enrolments wait until the group is written and no seat is counted twice.
    return Session.objects.select_for_update().select_related("programme").get(pk=session.pk)


def nominations_create(*, actor, session: Session, servants, reason: str) -> Plan:
    """Nominate `servants` (in this order) into `session`: each is enrolled, waitlisted (with
    their place) or refused (with the reason), and each nominated one is told by e-mail in
    their language. Refused as a whole (NominationRefused) when the session cannot take
    nominations or no reason is given."""
    if not may_nominate(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise NominationRefused(_("Give the reason for the nomination."), code="reason_required")
    servants = _unique(servants)
    today = timezone.localdate()
    role = (
        NominatorRole.ACADEMY
        if actor.is_superuser or is_academy_manager(actor)
        else NominatorRole.HR_OFFICER
    )
    due = training_due(servants, as_of=today)
    with transaction.atomic():
        session = _lock_session(session)
        refusal = _session_refusal(session, today)
        if refusal:
            raise NominationRefused(refusal, code="session")
        free = max(
            session.capacity
            - Enrolment.objects.filter(session_id=session.pk, status__in=SEAT_HOLDING).count(),
            0,
        )
        plan = Plan(session=session, free_before=free)
        held = _held(session, servants)
        batch = None
        for servant in servants:
            refusal = _person_refusal(actor, servant, session, held)
            if refusal:
                plan.outcomes.append(Outcome(servant, REFUSED, reason=refusal))
                continue
            try:
                enrolment = enrolment_request(
                    servant=servant, session=session, actor=actor, notify=False, pre_approved=True
                )
            except (EnrolmentRefused, PermissionDenied) as error:
                message = " ".join(getattr(error, "messages", [str(error)]))
                plan.outcomes.append(
                    Outcome(servant, REFUSED, reason=f"{servant.full_name}: {message}")
                )
                continue
            nomination = Nomination(
                servant=servant,
                session=session,
                enrolment=enrolment,
                nominated_by=actor,
                nominated_as=role,
                reason=reason,
                due_basis=due[servant.pk].as_basis() if servant.pk in due else {},
            )
            if batch is not None:
                nomination.batch = batch
            nomination.save()
            batch = nomination.batch
            waitlisted = enrolment.status == EnrolmentStatus.WAITLISTED
            log(
                instance=nomination,
                action="nominations.nomination.created",
                user=actor,
                data={
                    "servant": servant.full_name,
                    "session": str(session),
                    "enrolment": enrolment.pk,
                    "status": enrolment.status,
                    "waitlist_place": enrolment.place,
                    "reason": reason,
                    "due_basis": nomination.due_basis,
                },
            )
            _notify(nomination)
            plan.outcomes.append(
                Outcome(
                    servant,
                    WAITLISTED if waitlisted else ENROLLED,
                    enrolment.place,
                    _waitlisted_reason(enrolment.place) if waitlisted else "",
                    nomination,
                )
            )
    return plan


def _notify(nomination: Nomination) -> None:
    """Tell the person, once (in My learning, and by e-mail in their language)."""
    session, servant = nomination.session, nomination.servant
    programme, agency = session.programme, servant.agency
    notify(
        servant=servant,
        kind=Kind.NOMINATED,
        key=f"nominated:{nomination.pk}",
        params={
            "title": {"kk": programme.title_kk, "ru": programme.title_ru, "en": programme.title_en},
            "code": programme.code,
            "starts_on": session.starts_on.isoformat(),
            "ends_on": session.ends_on.isoformat(),
            "place": nomination.enrolment.place,
            "reason": nomination.reason,
            "by_academy": nomination.nominated_as == NominatorRole.ACADEMY,
            "agency": {"kk": agency.name_kk, "ru": agency.name_ru, "en": agency.name_en},
            "on": timezone.localdate(nomination.created_at).isoformat(),
        },
        link="/{lang}/my/",
    )


# -- withdrawal on request ------------------------------------------------------------------


def refuse_own_withdrawal(sender, *, enrolment: Enrolment, actor, **kwargs) -> None:
    """enrolments' `enrolment_withdrawing`: a nominated person asks instead (HR decides)."""
    if Nomination.objects.filter(enrolment=enrolment).exists():
        raise EnrolmentRefused(
            _(
                "You were nominated to this session by your HR officer: ask to be withdrawn "
                "(My learning, Nominations) and HR will decide."
            ),
            code="nominated",
        )


def withdrawal_request(*, nomination: Nomination, actor, reason: str) -> WithdrawalRequest:
    """The nominated person asks to be withdrawn (one pending request at a time, only while
    the enrolment is upcoming and the session has not started)."""
    if not (getattr(actor, "is_authenticated", False) and nomination.servant.user_id == actor.pk):
        raise PermissionDenied(_("Only the nominated person may ask to be withdrawn."))
    reason = (reason or "").strip()
    if not reason:
        raise NominationRefused(_("Say why you ask to be withdrawn."), code="reason_required")
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=nomination.enrolment_id)
        if enrolment.status not in UPCOMING:
            raise NominationRefused(
                _("This enrolment cannot be withdrawn (it is %(status)s).")
                % {"status": enrolment.get_status_display()},
                code="not_active",
            )
        if nomination.session.starts_on <= timezone.localdate():
            raise NominationRefused(
                _("The session has started; ask the academy to record your absence."),
                code="started",
            )
        try:
            with transaction.atomic():
                request = WithdrawalRequest.objects.create(nomination=nomination, reason=reason)
        except IntegrityError:
            raise NominationRefused(
                _("You have already asked to be withdrawn; HR has not decided yet."),
                code="duplicate",
            ) from None
        log(
            instance=nomination,
            action="nominations.withdrawal.requested",
            user=actor,
            data={"request": request.pk, "reason": reason},
        )
    return request


def withdrawal_decide(
    *, request: WithdrawalRequest, approve: bool, actor, reason: str = ""
) -> WithdrawalRequest:
    """HR of the person's state body (or the academy) decides. Approval withdraws the
    enrolment (its seat goes to the waiting list); rejection needs a reason."""
    nomination = request.nomination
    if not (may_nominate(actor) and can_act_for(actor, nomination.servant)):
        raise PermissionDenied(
            _("Only an HR officer of the person's state body or the academy may decide.")
        )
    reason = (reason or "").strip()
    if not approve and not reason:
        raise NominationRefused(_("Give a reason for the rejection."), code="reason_required")
    with transaction.atomic():
        request = WithdrawalRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != WithdrawalStatus.PENDING:
            raise NominationRefused(
                _("This request has already been decided (%(status)s).")
                % {"status": request.get_status_display()},
                code="not_pending",
            )
        if approve:
            enrolment_withdraw(enrolment=nomination.enrolment, actor=actor)
        request.status = WithdrawalStatus.APPROVED if approve else WithdrawalStatus.REJECTED
        request.decided_at = timezone.now()
        request.decided_by = actor
        request.decision_reason = reason
        request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        log(
            instance=nomination,
            action=f"nominations.withdrawal.{'approved' if approve else 'rejected'}",
            user=actor,
            data={"request": request.pk, "reason": reason},
        )
    return request


# -- mandatory training (assignments) ----------------------------------------------------------

# Assignment outcomes in the preview and the confirmation.
ASSIGN = "assign"
SKIPPED = "skipped"
REMIND_DAYS_BEFORE_DUE = 14


def may_assign(user) -> bool:
    """HR officers (for their state bodies) and the academy (for everyone)."""
    return may_nominate(user)


@dataclass
class AssignmentOutcome:
    servant: CivilServant
    result: str
    reason: str = ""  # why skipped (a sentence naming the person)
    assignment: Assignment | None = None


@dataclass
class AssignmentPlan:
    """What an assignment to a group does (the preview) or did (the confirmation)."""

    programme: Programme | None
    hours: int | None
    due_on: datetime.date
    outcomes: list[AssignmentOutcome] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return sum(1 for o in self.outcomes if o.result == ASSIGN)

    @property
    def skipped(self) -> int:
        return sum(1 for o in self.outcomes if o.result == SKIPPED)


def unknown_person_message(value) -> str:
    """The one answer for a person who does not exist and for one of another state body (the
    form's and the service's): nobody learns who works where."""
    return _("Person no. %(value)s is not among the people you may assign training to.") % {
        "value": value
    }


def _assignment_refusal(*, programme, hours, due_on: datetime.date, today: datetime.date):
    """What is wrong with the request as a whole (each message names its field), or []."""
    errors = []
    if programme is None and hours is None:
        errors.append(_("Choose a programme or enter the academic hours (one of the two)."))
    elif programme is not None and hours is not None:
        errors.append(
            _("Choose either a programme or the academic hours, not both: the training is one.")
        )
    elif hours is not None and hours <= 0:
        errors.append(
            _("Academic hours: enter a whole number above zero (you entered %(hours)s).")
            % {"hours": hours}
        )
    if due_on < today:
        errors.append(
            _("Due date: %(date)s is in the past; choose today or a later day.")
            % {"date": date_format(due_on, "d.m.Y")}
        )
    return errors


def _assignment_skips(servants, *, programme, hours, today) -> dict[int, str]:
    """Per servant id, why they get nothing: an open assignment of the same training, or (a
    programme) a current record of it still valid. Two queries for the group."""
    from .selectors import OPEN_STATUSES, assignments_with_status

    ids = [s.pk for s in servants]
    names = {s.pk: s.full_name for s in servants}
    same = Assignment.objects.filter(servant__in=ids)
    same = same.filter(programme=programme) if programme else same.filter(programme__isnull=True)
    skips = {}
    for assignment in assignments_with_status(same, today=today).filter(status__in=OPEN_STATUSES):
        skips.setdefault(
            assignment.servant_id,
            _("%(name)s already has this training assigned, due %(date)s.")
            % {
                "name": names[assignment.servant_id],
                "date": date_format(assignment.due_on, "d.m.Y"),
            },
        )
    if programme is not None:
        records = QualificationRecord.objects.filter(
            servant__in=ids, programme=programme, is_current=True, valid_until__gte=today
        ).order_by("-completed_on")
        for record in records:
            skips.setdefault(
                record.servant_id,
                _("%(name)s already completed this programme on %(date)s.")
                % {
                    "name": names[record.servant_id],
                    "date": date_format(record.completed_on, "d.m.Y"),
                },
            )
    return skips


def assignment_preview(
    *, actor, servants, programme=None, hours=None, due_on: datetime.date, today=None
) -> AssignmentPlan:
    """Who gets the training and who is skipped (and why). Raises ValidationError (nothing
    written) for a request that is wrong as a whole or names someone `actor` may not assign."""
    today = today or timezone.localdate()
    if not may_assign(actor):
        raise PermissionDenied
    errors = _assignment_refusal(programme=programme, hours=hours, due_on=due_on, today=today)
    servants = _unique(servants)
    if not servants:
        errors.append(_("People: select at least one person."))
    errors += [unknown_person_message(s.pk) for s in servants if not can_act_for(actor, s)]
    if errors:
        raise ValidationError(errors)
    skips = _assignment_skips(servants, programme=programme, hours=hours, today=today)
    plan = AssignmentPlan(programme, hours, due_on)
    for servant in servants:
        if servant.pk in skips:
            plan.outcomes.append(AssignmentOutcome(servant, SKIPPED, skips[servant.pk]))
        else:
            plan.outcomes.append(AssignmentOutcome(servant, ASSIGN))
    return plan


def assignments_create(
    *, actor, servants, programme=None, hours=None, due_on: datetime.date, reason: str
) -> AssignmentPlan:
    """Assign the training to each person the preview lets through, in one transaction: the
    whole request is refused (nothing written) when it is wrong; people skipped get nothing."""
    today = timezone.localdate()
    reason = (reason or "").strip()
    with transaction.atomic():
        # The people's rows are locked so two HR officers assigning the same training at once
        # do not both pass the "already has it" check.
        ids = [s.pk for s in _unique(servants)]
        locked = {
            s.pk: s
            for s in CivilServant.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("agency", "position")
        }
        servants = [locked[pk] for pk in ids if pk in locked]
        if not reason:
            raise ValidationError(_("Reason: explain why the training is assigned."))
        plan = assignment_preview(
            actor=actor,
            servants=servants,
            programme=programme,
            hours=hours,
            due_on=due_on,
            today=today,
        )
        batch = uuid.uuid4()
        for outcome in plan.outcomes:
            if outcome.result != ASSIGN:
                continue
            assignment = Assignment.objects.create(
                servant=outcome.servant,
                programme=programme,
                hours=hours,
                due_on=due_on,
                assigned_on=today,
                reason=reason,
                assigned_by=actor,
                batch=batch,
            )
            _log_assignment(assignment, "nominations.assignment.created", actor)
            outcome.assignment = assignment
    return plan


def _log_assignment(assignment: Assignment, action: str, actor) -> None:
    log(
        instance=assignment,
        action=action,
        user=actor,
        data={
            "servant": assignment.servant.full_name,
            "programme": assignment.programme.code if assignment.programme else None,
            "hours": assignment.hours,
            "due_on": assignment.due_on.isoformat(),
            "reason": assignment.reason,
        },
    )


def assignment_cancel(*, assignment: Assignment, actor) -> Assignment:
    """Cancel an assignment (by an HR officer of the person's state body or the academy)."""
    if not may_assign(actor) or not can_act_for(actor, assignment.servant):
        raise PermissionDenied
    with transaction.atomic():
        updated = Assignment.objects.filter(pk=assignment.pk, cancelled_at__isnull=True).update(
            cancelled_at=timezone.now(), cancelled_by=actor
        )
        if not updated:
            raise ValidationError(
                _("%(name)s: this assignment is already cancelled.")
                % {"name": assignment.servant.full_name}
            )
        assignment.refresh_from_db()
        _log_assignment(assignment, "nominations.assignment.cancelled", actor)
    return assignment


def lapsing_assignments_create(*, as_of: datetime.date, within_days: int | None = None) -> int:
    """One automatic assignment per servant and lapse of their training requirement within
    `within_days` (90), from the rule set in force, due on the lapse day, asking for the
    academic hours that will be missing then. Returns how many are new; a second run (or a
    racing one) makes none for the same lapse (a unique constraint)."""
    from core.dates import add_years
    from enrolments.requirements import TrainingRequirements
    from promotions.services import (
        REMIND_WITHIN_DAYS,
        NoRuleSet,
        eligibility_for_agency,
        rule_set_on,
        training_lapse_date,
    )

    horizon = as_of + datetime.timedelta(days=within_days or REMIND_WITHIN_DAYS)
    try:
        rule = rule_set_on(as_of)
    except NoRuleSet:
        return 0  # no rules in force: nothing can lapse under them
    window_years = TrainingRequirements.load(on=as_of).terms("", as_of).window_years
    created = 0
    for result in eligibility_for_agency(agency=None, as_of=as_of, rule=rule):
        lapses_on = training_lapse_date(result, window_years=window_years)
        if lapses_on is None or lapses_on > horizon or lapses_on < as_of:
            continue
        hours = next(c for c in result.criteria if c.code == "training_hours")
        start = add_years(lapses_on, -window_years)
        kept = sum(
            e["hours"]
            for e in hours.evidence
            if datetime.date.fromisoformat(e["completed_on"]) > start
        )
        needed = max(int(hours.basis.get("required", 0)) - kept, 1)
        try:
            with transaction.atomic():
                Assignment.objects.create(
                    servant_id=result.servant_id,
                    hours=needed,
                    due_on=lapses_on,
                    assigned_on=as_of,
                    lapses_on=lapses_on,
                    source=AssignmentSource.LAPSE,
                    reason="",
                )
        except IntegrityError:
            continue  # this lapse already has its assignment
        created += 1
    return created


def assignment_reminders_send(
    *, today: datetime.date, days_before: int = REMIND_DAYS_BEFORE_DUE
) -> int:
    """Tell the person and their state body's HR officers that an open assignment is due
    within `days_before` days, and again once it is overdue: each once per assignment (the
    notification key). Returns how many notifications are new."""
    from django.urls import reverse

    from .selectors import OPEN_STATUSES, assignments_with_status

    until = today + datetime.timedelta(days=days_before)
    open_ones = (
        assignments_with_status(
            Assignment.objects.filter(cancelled_at__isnull=True, due_on__lte=until), today=today
        )
        .filter(status__in=OPEN_STATUSES)
        .select_related("servant", "programme")
        .order_by("due_on", "pk")
    )
    officers: dict[int, list] = {}
    created = 0
    for assignment in open_ones.iterator(chunk_size=500):
        servant = assignment.servant
        stage = "overdue" if assignment.due_on < today else "due"
        key = f"assignment_{stage}:{assignment.pk}"
        params = {
            "overdue": stage == "overdue",
            "due_on": assignment.due_on.isoformat(),
            "hours": assignment.hours,
            "title": (
                {
                    "kk": assignment.programme.title_kk,
                    "ru": assignment.programme.title_ru,
                    "en": assignment.programme.title_en,
                }
                if assignment.programme
                else None
            ),
            "code": assignment.programme.code if assignment.programme else "",
        }
        created += notify_servant_and_officers(
            servant=servant,
            kind=Kind.ASSIGNMENT_REMINDER,
            staff_kind=Kind.STAFF_ASSIGNMENT_REMINDER,
            key=key,
            params=params,
            staff_link=reverse("assignments_list")
            + f"?status={'overdue' if stage == 'overdue' else 'open'}",
            officers=officers,
        )
    return created
