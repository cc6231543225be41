"""Writes for the enrolment lifecycle. Views, admin, API and commands call these only.

Invariants kept here:
- capacity is never exceeded: every write that may use a seat runs inside one transaction that
  first locks the session row (SELECT … FOR UPDATE), then counts seats, then writes;
- a servant holds at most one active enrolment per session (checked, and enforced by a
  partial unique constraint as a backstop);
- when a seat frees, the waiting list moves at once, in its published order
  (priority, then time of request), and each move is logged with the reason;
- statuses change only from the statuses listed for each transition.
"""

import datetime
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_action_registry

from core.authorization import is_academy_manager, is_hr_officer
from core.dates import add_years
from core.models import branch_settings
from courses.models import Programme, ProgrammeKind, Session, SessionStatus
from people.models import CivilServant

from .models import (
    ACTIVE,
    SEAT_HOLDING,
    UPCOMING,
    Enrolment,
    EnrolmentStatus,
    Priority,
    QualificationRecord,
    RecordSource,
)
from .requirements import training_requirement_status
from .selectors import waiting_list


class EnrolmentRefused(ValidationError):
    """A request the rules do not allow; `code` says which rule, the message says why."""


# -- helpers ----------------------------------------------------------------------------


def priority_for(
    *, servant: CivilServant, programme: Programme, today: datetime.date
) -> tuple[int, str]:
    """A retraining programme ranks above the rest for someone whose retraining is due under
    the training requirement (`enrolments.requirements`): first appointed, not retrained
    since, and the due date not passed."""
    if programme.kind == ProgrammeKind.RETRAINING:
        status = training_requirement_status(servant, today)
        if status.retraining_due:
            return Priority.RETRAINING_DUE, _(
                "Retraining is due by %(due)s (first appointed on %(appointed)s)."
            ) % {
                "due": status.retraining_due_on.isoformat(),
                "appointed": servant.first_appointed_on.isoformat(),
            }
    return Priority.VOLUNTARY, ""


def _lock_session(session_id: int) -> Session:
    # The lock serialises everything that can use up this session's seats: two requests for
    # the last seat, or a request racing a waitlist promotion, cannot both see it free.
    return Session.objects.select_for_update().select_related("programme").get(pk=session_id)


def _lock_session_for_request(session: Session) -> None:
    """Lock the session row and refresh `session` with the fields that decide a request.

    Only the session row: FOR UPDATE over a join would also lock the programme row and so
    queue requests for every session of the programme on each other."""
    row = (
        Session.objects.select_for_update()
        .filter(pk=session.pk)
        .values_list("status", "capacity", "starts_on", "enrolment_opens_on", "enrolment_closes_on")
        .get()
    )
    (
        session.status,
        session.capacity,
        session.starts_on,
        session.enrolment_opens_on,
        session.enrolment_closes_on,
    ) = row


def _seats_taken(session: Session) -> int:
    return Enrolment.objects.filter(session=session, status__in=SEAT_HOLDING).count()


def _notify(enrolment: Enrolment, event: str) -> None:
    from .tasks import send_enrolment_email

    transaction.on_commit(partial(send_enrolment_email.enqueue, enrolment.pk, event))


def _log(enrolment: Enrolment, action: str, actor, **data) -> None:
    """The Wagtail history entry (ModelLogEntry), as `wagtail.log_actions.log` writes it,
    without its `full_clean()`: that re-reads the content type and the user by primary key
    (two queries, inside the session lock) to validate keys we already hold. The action name
    is still checked against the registry, as `clean()` does."""
    registry = log_action_registry
    registry.scan_for_actions()
    model = registry.get_log_model_for_instance(enrolment)
    if model is None:  # as log(): no history for models without a log entry model
        return
    context = get_active_log_context()
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = model(
        content_type=ContentType.objects.get_for_model(enrolment, for_concrete_model=False),
        object_id=str(enrolment.pk),
        label=model.objects.get_instance_title(enrolment),
        action=f"enrolments.enrolment.{action}",
        timestamp=timezone.now(),
        data={"status": enrolment.status, **data},
        user=user or context.user,
        uuid=context.uuid,
    )
    entry.clean()  # the action must be registered
    Model.save(entry)


def can_act_for(actor, servant: CivilServant) -> bool:
    """Who may enrol, withdraw or decide for `servant` besides themselves: academy managers
    for everyone; an HR officer for people of their agencies."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser or is_academy_manager(actor):
        return True
    return is_hr_officer(actor) and servant.agency.hr_officers.filter(user=actor).exists()


def can_manage_enrolment(actor, enrolment: Enrolment) -> bool:
    return can_act_for(actor, enrolment.servant)


def _is_the_servant(actor, servant: CivilServant) -> bool:
    return getattr(actor, "is_authenticated", False) and servant.user_id == actor.pk


# -- requesting -------------------------------------------------------------------------


def enrolment_request(*, servant: CivilServant, session: Session, actor) -> Enrolment:
    """Enrol `servant` in `session`, or put them on its waiting list when it is full.

    Refused (EnrolmentRefused) when the session is cancelled, the enrolment window is closed,
    the servant's category is not in the programme's audience, or they already hold an
    active enrolment in this session. A programme that requires approval takes a seat in
    `pending_approval` until an HR officer or academy manager decides.

    The returned enrolment carries `place`: its place in the waiting list when it was
    waitlisted (as logged in the audit entry), else None.
    """
    if not (_is_the_servant(actor, servant) or can_act_for(actor, servant)):
        raise PermissionDenied(_("You may only enrol yourself."))
    today = timezone.localdate()
    programme = session.programme
    if not programme.live:
        raise EnrolmentRefused(_("This programme is not published."), code="not_published")
    if session.status == SessionStatus.CANCELLED:
        raise EnrolmentRefused(_("This session has been cancelled."), code="cancelled")
    if session.status != SessionStatus.SCHEDULED or not session.window_is_open(today):
        raise EnrolmentRefused(
            _("Enrolment for this session is open from %(opens)s to %(closes)s.")
            % {"opens": session.opens_on.isoformat(), "closes": session.closes_on.isoformat()},
            code="window_closed",
        )
    category = servant.category
    if programme.audience_list and not programme.is_open_to(category):
        raise EnrolmentRefused(
            _(
                "This programme is for categories %(audience)s; your position's category is "
                "%(category)s."
            )
            % {"audience": ", ".join(programme.audience_list), "category": category or "—"},
            code="audience",
        )
    priority, priority_reason = priority_for(servant=servant, programme=programme, today=today)

    requires_approval = programme.requires_approval
    action = {
        EnrolmentStatus.ENROLLED: "enrolled",
        EnrolmentStatus.PENDING_APPROVAL: "requested",
        EnrolmentStatus.WAITLISTED: "waitlisted",
    }
    # Everything above ran before the lock; inside it: lock, one count, one insert, the two
    # audit entries. Requests for the same session queue on the lock, so every query spent
    # here is spent once per request in that queue.
    try:
        with transaction.atomic():
            _lock_session_for_request(session)
            # Re-checked under the lock: a cancellation may have committed meanwhile.
            if session.status != SessionStatus.SCHEDULED or not session.window_is_open(today):
                raise EnrolmentRefused(
                    _("Enrolment for this session is closed."), code="window_closed"
                )
            requested_at = timezone.now()
            counts = Enrolment.objects.filter(session_id=session.pk).aggregate(
                mine=Count("pk", filter=Q(servant_id=servant.pk, status__in=ACTIVE)),
                taken=Count("pk", filter=Q(status__in=SEAT_HOLDING)),
                # Who would be ahead of this request in the queue (see _ahead_of): every row
                # visible here was inserted before it, so a tie on both goes to them.
                ahead=Count(
                    "pk",
                    filter=Q(status=EnrolmentStatus.WAITLISTED)
                    & (
                        Q(priority__gt=priority)
                        | Q(priority=priority, requested_at__lte=requested_at)
                    ),
                ),
            )
            if counts["mine"]:
                raise EnrolmentRefused(
                    _("You already have an enrolment in this session."), code="duplicate"
                )
            free = session.capacity - counts["taken"]
            if free > 0:
                status = (
                    EnrolmentStatus.PENDING_APPROVAL
                    if requires_approval
                    else EnrolmentStatus.ENROLLED
                )
                place = None
            else:
                status = EnrolmentStatus.WAITLISTED
                place = counts["ahead"] + 1
            enrolment = Enrolment.objects.create(
                servant=servant,
                session=session,
                status=status,
                priority=priority,
                priority_reason=priority_reason,
                requested_at=requested_at,
            )
            _log(
                enrolment,
                action[status],
                actor,
                free_seats_before=free,
                waitlist_place=place,
                priority=priority,
                priority_reason=priority_reason,
            )
            _notify(enrolment, status)
    except IntegrityError:
        # The partial unique constraint caught a duplicate that raced past the check.
        raise EnrolmentRefused(
            _("You already have an enrolment in this session."), code="duplicate"
        ) from None
    enrolment.place = place
    return enrolment


# -- the waiting list (its order and places: `selectors.waiting_list`, `waitlist_place`) --


def _promote_waiting(session: Session, actor, *, freed_by: str) -> list[Enrolment]:
    """Fill free seats from the queue. Call only while holding the session lock. Nobody is
    moved into a session that has already started."""
    promoted = []
    if session.starts_on <= timezone.localdate():
        return promoted
    free = session.capacity - _seats_taken(session)
    queue = list(waiting_list(session)[: max(free, 0)])
    for position, enrolment in enumerate(queue):
        behind = waiting_list(session).count() - 1
        enrolment.status = (
            EnrolmentStatus.PENDING_APPROVAL
            if session.programme.requires_approval
            else EnrolmentStatus.ENROLLED
        )
        enrolment.save(update_fields=["status", "updated_at"])
        why = _(
            "A seat became free (%(freed_by)s). %(name)s was first in the waiting list: "
            "%(priority)s, requested at %(requested)s; %(behind)s people are still waiting."
        ) % {
            "freed_by": freed_by,
            "name": enrolment.servant.full_name,
            "priority": Priority(enrolment.priority).label,
            "requested": timezone.localtime(enrolment.requested_at).strftime("%Y-%m-%d %H:%M:%S"),
            "behind": behind,
        }
        _log(
            enrolment,
            "promoted",
            actor,
            reason=why,
            freed_by=freed_by,
            priority=enrolment.priority,
            priority_reason=enrolment.priority_reason,
            requested_at=enrolment.requested_at.isoformat(),
            still_waiting=behind,
            rank_in_batch=position + 1,
        )
        _notify(enrolment, "promoted")
        promoted.append(enrolment)
    return promoted


def session_set_capacity(*, session: Session, capacity: int, actor) -> list[Enrolment]:
    """Change a session's capacity; raising it promotes people from the waiting list."""
    with transaction.atomic():
        locked = _lock_session(session.pk)
        taken = _seats_taken(locked)
        if capacity < taken:
            raise EnrolmentRefused(
                _("%(taken)s seats are already taken; the capacity cannot be lower.")
                % {"taken": taken},
                code="capacity",
            )
        old = locked.capacity
        locked.capacity = capacity
        locked.save(update_fields=["capacity", "updated_at"])
        session.capacity = capacity
        if capacity > old:
            return _promote_waiting(
                locked,
                actor,
                freed_by=_("capacity raised from %(old)s to %(new)s")
                % {"old": old, "new": capacity},
            )
    return []


# -- decisions, withdrawal, cancellation -------------------------------------------------


def enrolment_decide(*, enrolment: Enrolment, approve: bool, actor, reason: str = "") -> Enrolment:
    """Approve or reject a pending enrolment. Rejection needs a reason and frees the seat."""
    if not can_manage_enrolment(actor, enrolment):
        raise PermissionDenied(
            _("Only an HR officer of the servant's state body or an academy manager may decide.")
        )
    if not approve and not reason.strip():
        raise EnrolmentRefused(_("Give a reason for the rejection."), code="reason_required")
    with transaction.atomic():
        session = _lock_session(enrolment.session_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.PENDING_APPROVAL:
            raise EnrolmentRefused(
                _("Only an enrolment awaiting approval can be decided (this one is %(status)s).")
                % {"status": enrolment.get_status_display()},
                code="not_pending",
            )
        enrolment.status = EnrolmentStatus.ENROLLED if approve else EnrolmentStatus.REJECTED
        enrolment.decided_at = timezone.now()
        enrolment.decided_by = actor
        enrolment.decision_reason = reason.strip()
        enrolment.save(
            update_fields=["status", "decided_at", "decided_by", "decision_reason", "updated_at"]
        )
        _log(enrolment, "approved" if approve else "rejected", actor, reason=reason.strip())
        _notify(enrolment, "approved" if approve else "rejected")
        if not approve:
            _promote_waiting(session, actor, freed_by=_("a request was rejected"))
    return enrolment


def enrolment_withdraw(*, enrolment: Enrolment, actor) -> Enrolment:
    """The servant (or someone managing them) withdraws before the session starts."""
    if not (_is_the_servant(actor, enrolment.servant) or can_manage_enrolment(actor, enrolment)):
        raise PermissionDenied(_("You may only withdraw your own enrolments."))
    with transaction.atomic():
        session = _lock_session(enrolment.session_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status not in UPCOMING:
            raise EnrolmentRefused(
                _("This enrolment cannot be withdrawn (it is %(status)s).")
                % {"status": enrolment.get_status_display()},
                code="not_active",
            )
        if session.starts_on <= timezone.localdate() and not can_manage_enrolment(actor, enrolment):
            raise EnrolmentRefused(
                _("The session has started; ask the academy to record your absence."),
                code="started",
            )
        held_seat = enrolment.holds_seat
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.save(update_fields=["status", "updated_at"])
        _log(enrolment, "withdrawn", actor, held_seat=held_seat)
        if held_seat:
            _promote_waiting(session, actor, freed_by=_("a participant withdrew"))
    return enrolment


def session_cancel(*, session: Session, actor, reason: str) -> int:
    """Cancel a session: every upcoming enrolment becomes `cancelled` and is told. Returns
    how many enrolments were cancelled."""
    if not reason.strip():
        raise EnrolmentRefused(_("Give a reason for the cancellation."), code="reason_required")
    with transaction.atomic():
        session = _lock_session(session.pk)
        if session.status == SessionStatus.CANCELLED:
            raise EnrolmentRefused(_("This session is already cancelled."), code="cancelled")
        if session.status == SessionStatus.FINISHED:
            raise EnrolmentRefused(_("A finished session cannot be cancelled."), code="finished")
        session.status = SessionStatus.CANCELLED
        session.cancel_reason = reason.strip()
        session.save(update_fields=["status", "cancel_reason", "updated_at"])
        log(
            instance=session,
            action="enrolments.session.cancelled",
            user=actor,
            data={"reason": reason.strip()},
        )
        affected = list(Enrolment.objects.filter(session=session, status__in=UPCOMING))
        for enrolment in affected:
            enrolment.status = EnrolmentStatus.CANCELLED
            enrolment.save(update_fields=["status", "updated_at"])
            _log(enrolment, "cancelled", actor, reason=reason.strip())
            _notify(enrolment, "session_cancelled")
    return len(affected)


# -- results and qualification records --------------------------------------------------

RESULT_STATUSES = (EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED, EnrolmentStatus.NO_SHOW)


def result_status(*, programme: Programme, attended_hours: int, passed: bool) -> str:
    """Completed = attended at least the required share of the hours, and passed."""
    if attended_hours <= 0:
        return EnrolmentStatus.NO_SHOW
    required = programme.academic_hours * programme.required_attendance_percent / 100
    if attended_hours >= required and passed:
        return EnrolmentStatus.COMPLETED
    return EnrolmentStatus.FAILED


def enrolment_record_result(
    *, enrolment: Enrolment, attended_hours: int, passed: bool, score=None, actor
) -> Enrolment:
    """Record attendance and result. A completion creates a QualificationRecord; changing a
    recorded result supersedes the old record instead of editing it."""
    if not (
        getattr(actor, "is_authenticated", False)
        and (actor.is_superuser or is_academy_manager(actor))
    ):
        raise PermissionDenied(_("Only the academy records results."))
    programme = enrolment.session.programme
    if attended_hours < 0 or attended_hours > programme.academic_hours:
        raise EnrolmentRefused(
            _("Attended hours must be between 0 and %(max)s.") % {"max": programme.academic_hours},
            code="hours",
        )
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("session__programme", "servant")
            .get(pk=enrolment.pk)
        )
        if enrolment.status not in (EnrolmentStatus.ENROLLED, *RESULT_STATUSES):
            raise EnrolmentRefused(
                _("Results are recorded for enrolled participants only (this one is %(status)s).")
                % {"status": enrolment.get_status_display()},
                code="not_enrolled",
            )
        if enrolment.session.starts_on > timezone.localdate():
            raise EnrolmentRefused(
                _("Results can be recorded once the session has started."), code="not_started"
            )
        new_status = result_status(
            programme=programme, attended_hours=attended_hours, passed=passed
        )
        unchanged = (
            enrolment.status == new_status
            and enrolment.attended_hours == attended_hours
            and enrolment.passed == passed
            and (score is None or enrolment.score == score)
        )
        if unchanged:
            return enrolment
        previous_status = enrolment.status
        enrolment.status = new_status
        enrolment.attended_hours = attended_hours
        enrolment.passed = passed
        enrolment.score = score
        enrolment.finished_at = timezone.now()
        enrolment.save(
            update_fields=[
                "status",
                "attended_hours",
                "passed",
                "score",
                "finished_at",
                "updated_at",
            ]
        )
        _log(
            enrolment,
            new_status,
            actor,
            previous_status=previous_status,
            attended_hours=attended_hours,
            passed=passed,
            required_percent=programme.required_attendance_percent,
        )
        current = QualificationRecord.objects.filter(enrolment=enrolment, is_current=True).first()
        if new_status == EnrolmentStatus.COMPLETED and current is None:
            # Completed again after a withdrawn result: the new record supersedes the old one.
            previous = (
                QualificationRecord.objects.filter(enrolment=enrolment, superseded_by__isnull=True)
                .order_by("-pk")
                .first()
            )
            _record_from_enrolment(enrolment, actor, supersedes=previous)
        elif new_status != EnrolmentStatus.COMPLETED and current is not None:
            current.is_current = False
            current.correction_reason = _("Result changed to %(status)s.") % {
                "status": enrolment.get_status_display()
            }
            current.save(update_fields=["is_current", "correction_reason", "updated_at"])
            log(
                instance=current,
                action="enrolments.record.withdrawn",
                user=actor,
                data={"reason": current.correction_reason},
            )
            from .signals import record_withdrawn

            transaction.on_commit(
                partial(
                    record_withdrawn.send,
                    sender=QualificationRecord,
                    record=current,
                    reason=current.correction_reason,
                )
            )
    return enrolment


def _record_from_enrolment(
    enrolment: Enrolment, actor, *, supersedes: QualificationRecord | None = None
) -> QualificationRecord:
    session = enrolment.session
    programme = session.programme
    completed_on = session.ends_on
    record = QualificationRecord.objects.create(
        servant=enrolment.servant,
        programme=programme,
        enrolment=enrolment,
        title=programme.title_ru or programme.title_kk,
        kind=programme.kind,
        provider=_provider_name(),
        hours=programme.academic_hours,
        completed_on=completed_on,
        valid_until=add_years(completed_on, programme.validity_years),
        source=RecordSource.ENROLMENT,
        supersedes=supersedes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log(
        instance=record,
        action="enrolments.record.created",
        user=actor,
        data={"enrolment": enrolment.pk, "hours": record.hours},
    )
    from .signals import record_completed

    transaction.on_commit(partial(record_completed.send, sender=QualificationRecord, record=record))
    return record


def _provider_name() -> str:
    branch = branch_settings()
    if branch.name_ru or branch.name_kk:
        return branch.name_ru or branch.name_kk
    return str(gettext_lazy("Academy of Public Administration, West Kazakhstan branch"))


def qualification_record_correct(
    *, record: QualificationRecord, actor, reason: str, **changes
) -> QualificationRecord:
    """Correct a record by creating a new one that supersedes it. The old one stays visible."""
    if not (
        getattr(actor, "is_authenticated", False)
        and (actor.is_superuser or is_academy_manager(actor))
    ):
        raise PermissionDenied(_("Only the academy corrects qualification records."))
    allowed = {
        "title",
        "kind",
        "provider",
        "hours",
        "completed_on",
        "valid_until",
        "certificate_number",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Cannot correct fields {sorted(unknown)}")
    if not reason.strip():
        raise EnrolmentRefused(_("Give a reason for the correction."), code="reason_required")
    with transaction.atomic():
        old = QualificationRecord.objects.select_for_update().get(pk=record.pk)
        if not old.is_current:
            raise EnrolmentRefused(_("This record has already been superseded."), code="superseded")
        old.is_current = False
        old.save(update_fields=["is_current", "updated_at"])
        fields = {f: getattr(old, f) for f in allowed}
        fields.update(changes)
        new = QualificationRecord(
            servant=old.servant,
            programme=old.programme,
            enrolment=old.enrolment,
            source=old.source,
            supersedes=old,
            correction_reason=reason.strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **fields,
        )
        new.full_clean(exclude=["supersedes", "enrolment"])
        new.save()
        log(
            instance=new,
            action="enrolments.record.corrected",
            user=actor,
            data={
                "supersedes": old.pk,
                "reason": reason.strip(),
                "changes": {k: str(v) for k, v in changes.items()},
            },
        )
    from .signals import record_completed

    transaction.on_commit(partial(record_completed.send, sender=QualificationRecord, record=new))
    return new


# -- reminders --------------------------------------------------------------------------


def enrolment_send_reminders(*, today: datetime.date | None = None, days_before: int = 3) -> int:
    """Claim and send the reminders for sessions starting in `days_before` days. Each
    enrolment is claimed with a conditional update, so nobody is reminded twice."""
    today = today or timezone.localdate()
    target = today + datetime.timedelta(days=days_before)
    candidates = Enrolment.objects.filter(
        status=EnrolmentStatus.ENROLLED,
        session__status=SessionStatus.SCHEDULED,
        session__starts_on__gt=today,
        session__starts_on__lte=target,
        reminder_sent_at__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            claimed = Enrolment.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            )
            if claimed:
                enrolment = Enrolment(pk=pk)
                _notify(enrolment, "reminder")
                sent += 1
    return sent
