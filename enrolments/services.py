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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_action_registry

from core.authorization import is_academy_manager, is_hr_officer
from courses.models import Programme, ProgrammeKind, Session, SessionStatus
from notifications.models import Kind
from notifications.services import notify
from people.models import CivilServant

from . import explanations
from .models import (
    ACTIVE,
    SEAT_HOLDING,
    UPCOMING,
    Enrolment,
    EnrolmentStatus,
    Priority,
)
from .requirements import training_requirement_status
from .selectors import waiting_list
from .signals import enrolment_withdrawing


class EnrolmentRefused(ValidationError):
    """A request the rules do not allow; `code` says which rule, the message says why."""


# -- helpers ----------------------------------------------------------------------------


def priority_for(
    *, servant: CivilServant, programme: Programme, today: datetime.date
) -> tuple[int, dict]:
    """A retraining programme ranks above the rest for someone whose retraining is due under
    the training requirement (`enrolments.requirements`): first appointed, not retrained
    since, and the due date not passed. Returns the priority and its basis: a code and its
    values (`enrolments.explanations` renders it for whoever reads it), {} for none."""
    if programme.kind == ProgrammeKind.RETRAINING:
        status = training_requirement_status(servant, today)
        if status.retraining_due:
            return Priority.RETRAINING_DUE, explanations.basis(
                explanations.RETRAINING_DUE,
                due=status.retraining_due_on.isoformat(),
                appointed=servant.first_appointed_on.isoformat(),
            )
    return Priority.VOLUNTARY, {}


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


def _notify_promoted(enrolment: Enrolment, session: Session) -> None:
    """A seat came free for someone waiting: told once per enrolment, in My learning and by
    e-mail in their language (notifications)."""
    programme = session.programme
    notify(
        servant=enrolment.servant,
        kind=Kind.WAITLIST_PROMOTED,
        key=f"waitlist_promoted:{enrolment.pk}",
        params={
            "title": {"kk": programme.title_kk, "ru": programme.title_ru, "en": programme.title_en},
            "code": programme.code,
            "starts_on": session.starts_on.isoformat(),
            "ends_on": session.ends_on.isoformat(),
            "needs_approval": enrolment.status == EnrolmentStatus.PENDING_APPROVAL,
        },
        link="/{lang}/my/",
    )


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


def programme_refusal(*, servant: CivilServant, programme: Programme) -> EnrolmentRefused | None:
    """Why `servant` may not take `programme` at all (not published, or their position's
    category is outside its audience), None when they may. The catalog asks this too."""
    if not programme.live:
        return EnrolmentRefused(_("This programme is not published."), code="not_published")
    category = servant.category
    if programme.audience_list and not programme.is_open_to(category):
        return EnrolmentRefused(
            _(
                "This programme is for categories %(audience)s; your position's category is "
                "%(category)s."
            )
            % {"audience": ", ".join(programme.audience_list), "category": category or "—"},
            code="audience",
        )
    return None


def session_refusal(*, session: Session, today: datetime.date) -> EnrolmentRefused | None:
    """Why nobody may ask for a seat in `session` today (cancelled, or outside its window)."""
    if session.status == SessionStatus.CANCELLED:
        return EnrolmentRefused(_("This session has been cancelled."), code="cancelled")
    if session.status != SessionStatus.SCHEDULED or not session.window_is_open(today):
        return EnrolmentRefused(
            _("Enrolment for this session is open from %(opens)s to %(closes)s.")
            % {
                "opens": date_format(session.opens_on, "d.m.Y"),
                "closes": date_format(session.closes_on, "d.m.Y"),
            },
            code="window_closed",
        )
    return None


def enrolment_refusal(
    *, servant: CivilServant, session: Session, today: datetime.date
) -> EnrolmentRefused | None:
    """The rules a request is refused by before any seat is counted (`enrolment_request`
    applies them first); None when they allow it. The programme page asks the same function,
    to show the reason beside a disabled button instead of after the click."""
    refusal = programme_refusal(servant=servant, programme=session.programme)
    return refusal if refusal is not None else session_refusal(session=session, today=today)


def enrolment_request(
    *,
    servant: CivilServant,
    session: Session,
    actor,
    notify: bool = True,
    pre_approved: bool = False,
) -> Enrolment:
    """Enrol `servant` in `session`, or put them on its waiting list when it is full.

    Refused (EnrolmentRefused) when the session is cancelled, the enrolment window is closed,
    the servant's category is not in the programme's audience, or they already hold an
    active enrolment in this session. A programme that requires approval takes a seat in
    `pending_approval` until an HR officer or academy manager decides.

    The returned enrolment carries `place`: its place in the waiting list when it was
    waitlisted (as logged in the audit entry), else None.

    `pre_approved`: the actor, who may decide for the servant (an HR officer of their state
    body, the academy), sends them, so a programme that requires approval enrols them at once
    (a nomination). `notify=False`: the caller tells the person itself (one e-mail, not two).
    """
    if not (_is_the_servant(actor, servant) or can_act_for(actor, servant)):
        raise PermissionDenied(_("You may only enrol yourself."))
    if pre_approved and not can_act_for(actor, servant):
        raise PermissionDenied(_("You may only enrol yourself."))
    today = timezone.localdate()
    programme = session.programme
    refusal = enrolment_refusal(servant=servant, session=session, today=today)
    if refusal is not None:
        raise refusal
    priority, priority_basis = priority_for(servant=servant, programme=programme, today=today)

    requires_approval = programme.requires_approval and not pre_approved
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
            approved = pre_approved and programme.requires_approval
            enrolment = Enrolment.objects.create(
                servant=servant,
                session=session,
                status=status,
                priority=priority,
                priority_basis=priority_basis,
                requested_at=requested_at,
                decided_at=requested_at if approved else None,
                decided_by=actor if approved else None,
            )
            _log(
                enrolment,
                action[status],
                actor,
                free_seats_before=free,
                waitlist_place=place,
                priority=priority,
                priority_basis=priority_basis,
                **({"pre_approved": True} if approved else {}),
            )
            if notify:
                _notify(enrolment, status)
    except IntegrityError:
        # The partial unique constraint caught a duplicate that raced past the check.
        raise EnrolmentRefused(
            _("You already have an enrolment in this session."), code="duplicate"
        ) from None
    enrolment.place = place
    return enrolment


# -- the waiting list (its order and places: `selectors.waiting_list`, `waitlist_place`) --


def _promote_waiting(session: Session, actor, *, freed_by: dict) -> list[Enrolment]:
    """Fill free seats from the queue. Call only while holding the session lock. Nobody is
    moved into a session that has already started. `freed_by` says what freed the seats, as
    a code and values (`explanations.basis`); the history entry of each move keeps it with
    the facts of the queue, and `explanations.explain_promotion` words them when read."""
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
        _log(
            enrolment,
            "promoted",
            actor,
            freed_by=freed_by,
            name=enrolment.servant.full_name,
            priority=enrolment.priority,
            priority_basis=enrolment.priority_basis,
            priority_reason=enrolment.priority_reason,
            requested_at=enrolment.requested_at.isoformat(),
            still_waiting=behind,
            rank_in_batch=position + 1,
        )
        _notify_promoted(enrolment, session)
        promoted.append(enrolment)
    return promoted


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
            _promote_waiting(
                session, actor, freed_by=explanations.basis(explanations.FREED_REJECTED)
            )
    return enrolment


def withdrawal_refusal(
    *, enrolment: Enrolment, session: Session, actor, today: datetime.date
) -> EnrolmentRefused | None:
    """Why `actor` may not withdraw `enrolment` from `session` today, None when they may. The
    confirmation page asks this before offering the button; `enrolment_withdraw` again under
    the lock."""
    if enrolment.status not in UPCOMING:
        return EnrolmentRefused(
            _("This enrolment cannot be withdrawn (it is %(status)s).")
            % {"status": enrolment.get_status_display()},
            code="not_active",
        )
    if session.starts_on <= today and not can_manage_enrolment(actor, enrolment):
        return EnrolmentRefused(
            _("The session has started; ask the academy to record your absence."),
            code="started",
        )
    return None


def enrolment_withdraw(*, enrolment: Enrolment, actor) -> Enrolment:
    """The servant (or someone managing them) withdraws before the session starts."""
    if not (_is_the_servant(actor, enrolment.servant) or can_manage_enrolment(actor, enrolment)):
        raise PermissionDenied(_("You may only withdraw your own enrolments."))
    with transaction.atomic():
        session = _lock_session(enrolment.session_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        refusal = withdrawal_refusal(
            enrolment=enrolment, session=session, actor=actor, today=timezone.localdate()
        )
        if refusal is not None:
            raise refusal
        if not can_manage_enrolment(actor, enrolment):
            # The person withdrawing themselves: an app above may refuse (a nomination is
            # withdrawn on request, decided by HR: nominations.services).
            enrolment_withdrawing.send(sender=Enrolment, enrolment=enrolment, actor=actor)
        held_seat = enrolment.holds_seat
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.save(update_fields=["status", "updated_at"])
        _log(enrolment, "withdrawn", actor, held_seat=held_seat)
        if held_seat:
            _promote_waiting(
                session, actor, freed_by=explanations.basis(explanations.FREED_WITHDREW)
            )
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
