"""Signals other apps listen to. enrolments does not know who consumes its records."""

from django.dispatch import Signal

# Sent after commit when a qualification record is created from a completion or a correction.
# Arguments: record (QualificationRecord).
record_completed = Signal()

# Sent after commit when a record stops being current without a replacement (a result was
# changed away from "completed"). Arguments: record (QualificationRecord), reason (str).
record_withdrawn = Signal()

# Sent inside enrolment_withdraw (the session locked) when the servant withdraws themselves.
# Arguments: enrolment, actor. A receiver refuses by raising EnrolmentRefused; nothing changes.
enrolment_withdrawing = Signal()
