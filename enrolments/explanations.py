"""Why the enrolment services did what they did, rendered in the reader's language.

The services store *what happened* as data: a code and its values (`{"code":
"retraining_due", "due": "2026-07-15", "appointed": "2026-01-15"}`), in the enrolment
(`Enrolment.priority_basis`, `QualificationRecord.correction_basis`) and in the Wagtail history
entries (`ModelLogEntry.data`). The sentences are made here, when someone reads them, with
`gettext` in the language active then: an explanation written while an academy manager worked
in Russian reads in Kazakh for an HR officer who reads in Kazakh.

Rows written before the codes were stored hold a sentence instead (`priority_reason`,
`correction_reason`, a log entry's `reason`): it is shown as it was stored.
"""

import datetime
from collections.abc import Mapping

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogFormatter

# -- codes -------------------------------------------------------------------------------

RETRAINING_DUE = "retraining_due"  # priority: retraining due after a first appointment

FREED_REJECTED = "rejected"  # a seat freed: a request awaiting approval was rejected
FREED_WITHDREW = "withdrew"  # a seat freed: a participant withdrew
FREED_CAPACITY = "capacity_raised"  # seats added: the capacity was raised (old, new)

RESULT_CHANGED = "result_changed"  # a record withdrawn: the result changed (status)
IMPORT_CORRECTION = "import"  # a record superseded by a file import


def basis(code: str, **values) -> dict:
    """The stored form of an explanation: its code and the values its sentence needs."""
    return {"code": code, **values}


# -- rendering ---------------------------------------------------------------------------


def explain_priority(priority_basis: Mapping | None, fallback: str = "") -> str:
    """Why an enrolment ranks above voluntary requests in the waiting list ("" when it does
    not); `fallback` is the sentence an older row stored."""
    if not priority_basis:
        return fallback
    if priority_basis.get("code") == RETRAINING_DUE:
        return _("Retraining is due by %(due)s (first appointed on %(appointed)s).") % {
            "due": _local_day(priority_basis.get("due", "")),
            "appointed": _local_day(priority_basis.get("appointed", "")),
        }
    return fallback


def explain_freed_by(freed_by: Mapping | str | None) -> str:
    """What freed a seat (or added one): a clause of the promotion's reason."""
    if not freed_by:
        return ""
    if isinstance(freed_by, str):  # an entry written before the codes: its stored words
        return freed_by
    code = freed_by.get("code")
    if code == FREED_REJECTED:
        return _("a request was rejected")
    if code == FREED_WITHDREW:
        return _("a participant withdrew")
    if code == FREED_CAPACITY:
        return _("capacity raised from %(old)s to %(new)s") % {
            "old": freed_by.get("old", ""),
            "new": freed_by.get("new", ""),
        }
    return str(code or "")


def _priority_label(value) -> str:
    from .models import Priority

    try:
        return str(Priority(value).label)
    except ValueError:
        return str(value)


def _local_day(value: str | datetime.date) -> str:
    """A stored ISO date in the reader's language (kk 01.03.2027, ru «1 марта 2027 г.», en
    "March 1, 2027"); text that is not a date is shown as it was stored."""
    try:
        day = parse_date(value) if isinstance(value, str) else value
    except ValueError:  # well formed but impossible (2027-02-30)
        day = None
    if not isinstance(day, datetime.date):
        return str(value or "")
    return formats.date_format(day, "DATE_FORMAT")


def _local_moment(value: str) -> str:
    """A stored ISO moment as the waiting list orders it: the reader's date and the local
    time (settings.TIME_ZONE) to the second, since two requests can share a minute."""
    try:
        moment = parse_datetime(value) if value else None
    except ValueError:
        moment = None
    if moment is None:
        return value or ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{formats.date_format(moment, 'DATE_FORMAT')} {moment:%H:%M:%S}"


def explain_promotion(data: Mapping) -> str:
    """Why someone moved from the waiting list into a seat, from the data of their
    `enrolments.enrolment.promoted` history entry."""
    if "name" not in data and data.get("reason"):  # written before the codes
        return str(data["reason"])
    return _(
        "A seat became free (%(freed_by)s). %(name)s was first in the waiting list: "
        "%(priority)s, requested at %(requested)s; %(behind)s people are still waiting."
    ) % {
        "freed_by": explain_freed_by(data.get("freed_by")),
        "name": data.get("name", ""),
        "priority": _priority_label(data.get("priority", 0)),
        "requested": _local_moment(data.get("requested_at", "")),
        "behind": data.get("still_waiting", ""),
    }


def explain_correction(correction_basis: Mapping | None, fallback: str = "") -> str:
    """Why a qualification record was withdrawn or superseded by the system (a result
    changed, an import); `fallback` is the reason a person wrote, or an older row's sentence."""
    if not correction_basis:
        return fallback
    code = correction_basis.get("code")
    if code == RESULT_CHANGED:
        from .models import EnrolmentStatus

        status = correction_basis.get("status", "")
        if status in EnrolmentStatus.values:
            status = EnrolmentStatus(status).label
        return _("Result changed to %(status)s.") % {"status": status}
    if code == IMPORT_CORRECTION:
        return _("Corrected by an import.")
    return fallback


def explain_log_data(action: str, data: Mapping | None) -> str:
    """The explanation a history entry of the enrolments app carries ("" when none)."""
    data = data or {}
    if action == "enrolments.enrolment.promoted":
        return explain_promotion(data)
    if action in (
        "enrolments.enrolment.enrolled",
        "enrolments.enrolment.requested",
        "enrolments.enrolment.waitlisted",
    ):
        return explain_priority(data.get("priority_basis"), data.get("priority_reason", ""))
    if action in ("enrolments.record.withdrawn", "enrolments.record.corrected"):
        return explain_correction(data.get("basis"), data.get("reason", ""))
    return ""


class ExplainedLogFormatter(LogFormatter):
    """A history entry whose message is its action's label followed by the explanation its
    data holds, rendered when the entry is read (the Site history, an object's History)."""

    action = ""

    def format_message(self, log_entry) -> str:
        why = explain_log_data(self.action, log_entry.data)
        return f"{self.label}: {why}" if why else str(self.label)


EXPLAINED_ACTIONS = {
    "enrolments.enrolment.requested": gettext_lazy("Enrolment requested (awaiting approval)"),
    "enrolments.enrolment.enrolled": gettext_lazy("Enrolled"),
    "enrolments.enrolment.waitlisted": gettext_lazy("Put on the waiting list"),
    "enrolments.enrolment.promoted": gettext_lazy("Promoted from the waiting list"),
    "enrolments.record.corrected": gettext_lazy("Qualification record corrected"),
    "enrolments.record.withdrawn": gettext_lazy("Qualification record withdrawn"),
}


def register_explained_actions(actions) -> None:
    """Register the actions whose entries carry an explanation with a formatter that renders
    it at read time (the register_log_actions hook)."""
    for action, label in EXPLAINED_ACTIONS.items():
        attributes = {"action": action, "label": label, "message": label}
        actions.register_action(action)(
            type("ExplainedEnrolmentLogFormatter", (ExplainedLogFormatter,), attributes)
        )
