"""Signals of session writes, for the apps above courses (dependency inversion).

courses owns sessions but not the seats in them: counting seats and moving the waiting list are
enrolments' rules, and courses may not import enrolments. So `courses.services.session_create`
and `session_update` announce the write, inside their transaction and while holding the session
row lock, and enrolments listens (`enrolments/sessions.py`, connected in its AppConfig.ready).
"""

from django.dispatch import Signal

# Sent before a session's new capacity is saved (update only). Arguments: session (locked, new
# values set, not saved), old_capacity (int). A receiver refuses by raising ValidationError; the
# transaction rolls back and nothing of the session is saved.
session_capacity_changing = Signal()

# Sent after a session was saved, still inside the transaction and the lock. Arguments: session,
# created (bool), old_capacity (int | None), actor. Receivers return a list of what they changed
# (enrolments: the people moved from the waiting list), handed back to the caller.
session_saved = Signal()
