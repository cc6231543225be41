"""The registry of importable and exportable kinds (cms sees every app; the apps do not see
each other's kinds)."""

import datetime

from django.db.models import QuerySet
from django.utils.module_loading import import_string

from config.routers import reporting_alias
from core.exporting import export_columns
from people.authorization import may_export, require
from people.models import Agency
from people.scoping import agency_scope_queryset, scope_queryset

# Each kind is one Resource (core.resources): the same class imports and exports it.
IMPORTERS = {
    "servants": "people.resources.ServantResource",
    "ratings": "people.resources.RatingResource",
    "completions": "enrolments.resources.CompletionResource",
    "competitions": "promotions.resources.CompetitionResource",
}
EXPORTS = {
    "servants": "people.resources.ServantResource",
    "ratings": "people.resources.RatingResource",
    # The current records in the completions' own columns: an export that re-imports as it is
    # (the records kind is the whole history, superseded records included).
    "completions": "enrolments.resources.CompletionResource",
    "records": "enrolments.resources.RecordResource",
    "enrolments": "enrolments.resources.EnrolmentResource",
    "competitions": "promotions.resources.CompetitionResource",
}
# The path from an exported row to its civil servant ("" = the row is one), which scopes an
# export to the user's state bodies; None: the row belongs to a state body directly.
SERVANT_PATHS = {
    "servants": "",
    "ratings": "servant",
    "completions": "servant",
    "records": "servant",
    "enrolments": "servant",
    "competitions": None,
}


def importer_for(kind: str):
    return import_string(IMPORTERS[kind])


def export_spec(
    kind: str,
    *,
    user=None,
    agency: Agency | None = None,
    since: datetime.datetime | None = None,
) -> tuple[QuerySet, list]:
    """The queryset (scoped to `user` when given, to `agency` when given) and its columns.
    It reads the reporting database (the replica, when there is one). A user without the
    permission to export `kind` (people.authorization.may_export) gets PermissionDenied."""
    if user is not None:
        require(may_export(user, kind))
    resource = import_string(EXPORTS[kind])()
    servant_path = SERVANT_PATHS[kind]
    queryset = resource.get_queryset()  # the Resource's rows (completions: current records)
    agency_path = f"{servant_path}__agency" if servant_path else "agency"
    if servant_path is not None and user is not None:
        queryset = scope_queryset(queryset, user, servant_path=servant_path)
    elif servant_path is None and user is not None:
        queryset = agency_scope_queryset(queryset, user)
    if agency is not None:
        queryset = queryset.filter(**{agency_path: agency})
    if since is not None:
        queryset = queryset.filter(updated_at__gte=since)
    return queryset.order_by("pk").using(reporting_alias()), export_columns(resource)
