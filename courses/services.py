"""Writes for sessions. The admin's create and edit screens call these only.

A session write is one transaction: lock the row, apply the changes, validate, let the listening
apps check (`session_capacity_changing`: enrolments refuses a capacity below the seats taken),
save, write the history entry, and let them react (`session_saved`: enrolments moves people from
the waiting list into new seats). A refusal at any step leaves the session as it was.
See courses/signals.py for why these are signals.
"""

import dataclasses

from django.db import transaction
from wagtail.log_actions import log

from .models import Session
from .signals import session_capacity_changing, session_saved


@dataclasses.dataclass
class SessionSaved:
    session: Session
    # What the listening apps did, e.g. the enrolments moved from the waiting list.
    effects: list


def session_create(*, actor, **fields) -> SessionSaved:
    with transaction.atomic():
        session = Session(**fields)
        session.full_clean()
        session.save()
        log(instance=session, action="wagtail.create", user=actor, content_changed=True)
        effects = _effects(
            session_saved.send(
                sender=Session, session=session, created=True, old_capacity=None, actor=actor
            )
        )
    return SessionSaved(session, effects)


def session_update(*, session: Session, actor, changes: dict) -> SessionSaved:
    """Apply `changes` (field name → value) to the session, all or nothing."""
    unknown = set(changes) - {f.name for f in Session._meta.concrete_fields}
    if unknown or "id" in changes:
        raise ValueError(f"Cannot change fields {sorted(unknown | ({'id'} & set(changes)))}")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        old_capacity = locked.capacity
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        if locked.capacity != old_capacity:
            session_capacity_changing.send(
                sender=Session, session=locked, old_capacity=old_capacity
            )
        locked.save()
        log(instance=locked, action="wagtail.edit", user=actor, content_changed=True)
        effects = _effects(
            session_saved.send(
                sender=Session,
                session=locked,
                created=False,
                old_capacity=old_capacity,
                actor=actor,
            )
        )
    return SessionSaved(locked, effects)


def _effects(responses) -> list:
    return [effect for _receiver, result in responses for effect in (result or [])]
