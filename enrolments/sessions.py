"""enrolments' part of a session write: the one capacity rule and the waiting list.

`courses.services.session_update` / `session_create` lock the session row and send
`courses.signals.session_capacity_changing` and `session_saved` inside their transaction;
the receivers below (connected in `EnrolmentsConfig.ready`) run there, under that lock:
- `refuse_capacity_below_seats`: a capacity lower than the seats already taken is refused
  (EnrolmentRefused, a ValidationError), so the whole write rolls back;
- `fill_new_seats`: when the capacity grew, people move from the waiting list at once, in
  its published order (services._promote_waiting), and the caller gets them back.
courses never imports enrolments; the admin edit form only surfaces the refusal.
"""

from django.utils.translation import gettext as _

from courses.models import Session
from courses.services import session_update

from . import explanations
from .models import Enrolment
from .services import EnrolmentRefused, _promote_waiting, _seats_taken


def refuse_capacity_below_seats(sender, *, session: Session, old_capacity: int, **kwargs) -> None:
    taken = _seats_taken(session)
    if session.capacity < taken:
        raise EnrolmentRefused(
            _("%(taken)s seats are already taken; the capacity cannot be lower.")
            % {"taken": taken},
            code="capacity",
        )


def fill_new_seats(
    sender, *, session: Session, created: bool, old_capacity: int | None, actor, **kwargs
) -> list[Enrolment]:
    if created or old_capacity is None or session.capacity <= old_capacity:
        return []
    return _promote_waiting(
        session,
        actor,
        freed_by=explanations.basis(
            explanations.FREED_CAPACITY, old=old_capacity, new=session.capacity
        ),
    )


def session_set_capacity(*, session: Session, capacity: int, actor) -> list[Enrolment]:
    """Change only the capacity; returns the people moved from the waiting list."""
    saved = session_update(session=session, actor=actor, changes={"capacity": capacity})
    session.capacity = capacity
    return saved.effects


def connect() -> None:
    from courses.signals import session_capacity_changing, session_saved

    session_capacity_changing.connect(
        refuse_capacity_below_seats, sender=Session, dispatch_uid="enrolments.capacity"
    )
    session_saved.connect(fill_new_seats, sender=Session, dispatch_uid="enrolments.waitlist")
