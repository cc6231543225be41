"""The read-access log: who read whose personal data, when, and what.

Every door through which someone other than the person reads a civil servant's data (the
admin page, transcripts, certificate PDFs, exports, the API, eligibility checks) calls
`access_record` once per request. Bulk reads are one entry for the whole request: its filters,
its row count and the state bodies its rows covered; never a row per person. The person's own
reads (My learning, their own transcript or certificate) are not logged.

`access_entries_for_servant` is the one read of the log for My learning: the person's own
entries plus the bulk reads that covered their state body.
"""

import datetime

from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.authorization import is_academy_manager, is_auditor, is_hr_officer

from .models import AccessKind, AccessLogEntry, CivilServant, HROfficer

ROLE_LABELS = {
    "superuser": _("administrator"),
    "academy_manager": _("academy manager"),
    "hr_officer": _("HR officer"),
    "auditor": _("auditor"),
    "": _("user"),
}

# The export kinds of cms/records.py and the API lists, as access codes.
EXPORT_KINDS = {
    "servants": AccessKind.EXPORT_SERVANTS,
    "ratings": AccessKind.EXPORT_RATINGS,
    "records": AccessKind.EXPORT_RECORDS,
    "enrolments": AccessKind.EXPORT_ENROLMENTS,
    "competitions": AccessKind.EXPORT_COMPETITIONS,
}


def actor_role(user) -> str:
    """The reader's role at the time of the read (roles are cached on the user)."""
    if user.is_superuser:
        return "superuser"
    if is_hr_officer(user):
        return "hr_officer"
    if is_academy_manager(user):
        return "academy_manager"
    if is_auditor(user):
        return "auditor"
    return ""


def _agency_text(agency_ids) -> str:
    ids = sorted({int(pk) for pk in agency_ids if pk is not None})
    return f",{','.join(map(str, ids))}," if ids else ""


def access_record(
    *,
    actor,
    what: str,
    servant: CivilServant | None = None,
    filters: dict | None = None,
    row_count: int | None = None,
    agency_ids=(),
) -> AccessLogEntry | None:
    """Log one read (one INSERT). `servant` for a read of one person; for a bulk read leave
    it out and give the filters, the row count and the ids of the state bodies the rows
    covered. Returns None, logging nothing, when the person reads their own data."""
    if servant is not None and servant.user_id is not None and servant.user_id == actor.pk:
        return None
    return AccessLogEntry.objects.create(
        actor=actor,
        actor_role=actor_role(actor),
        what=str(what),
        servant=servant,
        filters=filters or {},
        row_count=row_count,
        agency_ids="" if servant is not None else _agency_text(agency_ids),
    )


def access_entries_for_servant(
    servant: CivilServant, *, limit: int = 20, days: int = 365
) -> list[AccessLogEntry]:
    """The newest reads of `servant`'s data by others (within `days`): their own entries and
    the bulk reads that covered their state body. A constant number of queries."""
    since = timezone.now() - datetime.timedelta(days=days)
    base = AccessLogEntry.objects.filter(at__gte=since).select_related("actor", "actor__hr_officer")
    own = list(base.filter(servant=servant).order_by("-at", "-pk")[:limit])
    bulk = list(
        base.filter(
            Q(servant__isnull=True) & Q(agency_ids__contains=f",{servant.agency_id},")
        ).order_by("-at", "-pk")[:limit]
    )
    entries = sorted(own + bulk, key=lambda e: (e.at, e.pk), reverse=True)[:limit]
    hr_officers = [
        e.actor.hr_officer
        for e in entries
        if e.actor is not None and e.actor_role == "hr_officer" and _has_hr_row(e.actor)
    ]
    if hr_officers:
        prefetch_related_objects(hr_officers, "agencies")
    for entry in entries:
        entry.actor_label = actor_label(entry)
    return entries


def _has_hr_row(user) -> bool:
    try:
        user.hr_officer  # noqa: B018 - loaded by select_related
    except HROfficer.DoesNotExist:
        return False
    return True


def actor_label(entry: AccessLogEntry) -> str:
    """ "Name, role (state bodies)" for a reader, from what the entry's query loaded."""
    user = entry.actor
    if user is None:
        return str(_("deleted user #%(id)s") % {"id": entry.actor_id})
    name = user.get_full_name() or user.get_username()
    role = str(ROLE_LABELS.get(entry.actor_role, ROLE_LABELS[""]))
    if entry.actor_role == "hr_officer" and _has_hr_row(user):
        agencies = ", ".join(a.name for a in user.hr_officer.agencies.all())
        if agencies:
            role = f"{role} ({agencies})"
    return f"{name}, {role}"
