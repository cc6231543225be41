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

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.authorization import is_academy_manager, is_auditor, is_hr_officer

from .models import AccessKind, AccessLogAgency, AccessLogEntry, Agency, CivilServant

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
    "completions": AccessKind.EXPORT_RECORDS,  # the same records, in the import's columns
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
    agencies = [] if servant is not None else sorted({int(pk) for pk in agency_ids})
    entry = AccessLogEntry(
        actor=actor,
        actor_name=actor.get_full_name() or actor.get_username(),
        actor_role=actor_role(actor),
        what=str(what),
        servant=servant,
        filters={_storable(k): _storable(v) for k, v in (filters or {}).items()},
        row_count=row_count,
        agency_ids=f",{','.join(map(str, agencies))}," if agencies else "",
    )
    if not agencies:
        entry.save(force_insert=True)
        return entry
    with transaction.atomic():  # the entry and its index rows: both or neither
        entry.save(force_insert=True)
        AccessLogAgency.objects.bulk_create(
            [AccessLogAgency(entry=entry, agency_id=pk, at=entry.at) for pk in agencies]
        )
    return entry


def _storable(value):
    """A query parameter as PostgreSQL's JSON can hold it: without NUL characters (a request
    may carry one; the log must not fail the read)."""
    return value.replace("\x00", "") if isinstance(value, str) else value


_COLUMNS = "id, at, actor_id, actor_name, actor_role, what, servant_id, row_count, agency_ids"
_RECENT_FOR_SERVANT = f"""
    SELECT {_COLUMNS} FROM people_accesslogentry WHERE servant_id = %s AND at >= %s
    UNION ALL
    SELECT {_COLUMNS} FROM people_accesslogentry WHERE id IN (
        SELECT entry_id FROM people_accesslogagency WHERE agency_id = %s AND at >= %s
        ORDER BY at DESC, entry_id DESC LIMIT %s
    )
    ORDER BY at DESC, id DESC LIMIT %s
"""  # noqa: S608 - constant column list, values as parameters


def access_entries_for_servant(
    servant: CivilServant, *, limit: int = 20, days: int = 365
) -> list[AccessLogEntry]:
    """The newest reads of `servant`'s data by others (within `days`): their own entries and
    the bulk reads that covered their state body. One query of two index scans (two queries
    when HR officers read: the state bodies they serve); names and roles are as at the time
    of the read."""
    since = timezone.now() - datetime.timedelta(days=days)
    # Hand-written: the ORM's union costs more to compile than the database takes to answer,
    # and this runs on every My learning page.
    since_value = connection.ops.adapt_datetimefield_value(since)
    entries = list(
        AccessLogEntry.objects.raw(
            _RECENT_FOR_SERVANT,
            [servant.pk, since_value, servant.agency_id, since_value, limit, limit],
        )
    )
    officers = {e.actor_id for e in entries if e.actor_role == "hr_officer"}
    served: dict[int, list[str]] = {}
    if officers:
        for agency in Agency.objects.filter(hr_officers__user__in=officers).annotate(
            officer=F("hr_officers__user")
        ):
            served.setdefault(agency.officer, []).append(agency.name)
    for entry in entries:
        entry.actor_label = actor_label(entry, served.get(entry.actor_id, ()))
    return entries


def actor_label(entry: AccessLogEntry, agencies=()) -> str:
    """ "Name, role (state bodies)" for a reader."""
    name = entry.actor_name or str(_("user #%(id)s") % {"id": entry.actor_id})
    role = str(ROLE_LABELS.get(entry.actor_role, ROLE_LABELS[""]))
    if agencies:
        role = f"{role} ({', '.join(sorted(agencies))})"
    return f"{name}, {role}"
