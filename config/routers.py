"""Which database a query goes to: the primary, unless a report explicitly reads the replica.

Nothing is routed to the replica by magic. Reports and exports opt in, either for one query
(`queryset.using(reporting_alias())`) or for a whole computation (`with reporting_db(): ...`);
everything else, and every write and migration, goes to the primary. Without
DATABASE_REPLICA_URL the reporting alias is the primary itself, so nothing changes.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


def reporting_alias() -> str:
    """The database reports and exports read: the replica when one is configured."""
    return getattr(settings, "REPORTS_DATABASE", DEFAULT_DB_ALIAS)


@contextmanager
def reporting_db() -> Iterator[str]:
    """Reads inside the block go to the reporting database; writes still go to the primary.

    Only for code that reads many tables to compute a report (the eligibility batch, the
    meritocracy figures). A replica lags the primary by a moment: never use it for a read that
    decides a write (locks, checks that are stored for audit)."""
    token = _reading_reports.set(True)
    try:
        yield reporting_alias()
    finally:
        _reading_reports.reset(token)


class PrimaryReplicaRouter:
    """Writes and migrations: the primary. Reads: the primary, or the reporting database inside
    `reporting_db()`. A replica is a copy of the primary, so objects read from either may be
    related to each other (an eligibility check of a servant read from the replica)."""

    def db_for_read(self, model, **hints):
        if _reading_reports.get():
            return reporting_alias()
        return None  # Django's default: the database the related instance came from, else default

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        same_data = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A streaming replica gets its schema from the primary (and refuses writes anyway).
        return db == DEFAULT_DB_ALIAS


class StandInReplicaRouter(PrimaryReplicaRouter):
    """Test settings only: there the replica is a separate database that nothing replicates
    into, so it is migrated like the primary and tests put rows into it directly."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return True
