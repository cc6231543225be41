"""Writes of this app's records that more than one door uses (file imports, the API).

The import kinds (people.resources) validate and scope every row first; these write what they
hand over, inside the import's transaction."""

from django.db import connection
from django.utils import timezone

from .models import CivilServant, PerformanceRating, Position, new_pseudonym

SERVANT_UPDATE_FIELDS = [
    "updated_at",
    "last_name",
    "first_name",
    "middle_name",
    "email",
    "agency_id",
    "position_id",
    "appointed_on",
]


def servants_import(
    *,
    creates: list[CivilServant],
    updates: list[CivilServant],
    new_positions: list[Position],
    actor,
) -> None:
    """Register new positions, then new servants (COPY on PostgreSQL) and the changed ones.
    A servant waiting for a new position carries it in `_new_position`."""
    Position.objects.bulk_create(new_positions, batch_size=1000)
    for servant in (*creates, *updates):
        position = getattr(servant, "_new_position", None)
        if position is not None:
            servant.position_id = position.pk
    now = timezone.now()
    for servant in creates:
        servant.first_appointed_on = servant.appointed_on
        servant.created_at = servant.updated_at = now
    if connection.vendor == "postgresql":
        _copy_new_servants(creates)
    else:
        CivilServant.objects.bulk_create(creates, batch_size=2000)
    for servant in updates:  # bulk_update skips auto_now: incremental syncs rely on it
        servant.updated_at = now
    CivilServant.objects.bulk_update(updates, SERVANT_UPDATE_FIELDS, batch_size=1000)


_COPY_COLUMNS = (
    "iin",
    "last_name",
    "first_name",
    "middle_name",
    "email",
    "agency_id",
    "position_id",
    "appointed_on",
    "first_appointed_on",
    "preferred_language",
    "pseudonym",
    "created_at",
    "updated_at",
)


def _copy_new_servants(creates: list[CivilServant]) -> None:
    """New servants through PostgreSQL's COPY instead of bulk_create's INSERT (100k servants:
    8.6k → 21k rows/s in benchmarks/import_export.py). Same columns and defaults as the model;
    the import tests run on PostgreSQL too. The servants get no pk here (nothing reads it)."""
    table = CivilServant._meta.db_table
    sql = f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for servant in creates:
            copy.write_row(
                (
                    servant.iin,
                    servant.last_name,
                    servant.first_name,
                    servant.middle_name,
                    servant.email,
                    servant.agency_id,
                    servant.position_id,
                    servant.appointed_on,
                    servant.first_appointed_on,
                    servant.preferred_language,
                    servant.pseudonym or new_pseudonym(),
                    servant.created_at,
                    servant.updated_at,
                )
            )


def ratings_import(
    *, creates: list[PerformanceRating], updates: list[PerformanceRating]
) -> list[tuple[PerformanceRating, str | None]]:
    """Write new and changed ratings; returns (rating, its previous code or None) for the
    audit entries (people.ratings.rating_changes_record)."""
    now = timezone.now()
    PerformanceRating.objects.bulk_create(creates, batch_size=2000)
    for rating in updates:
        rating.updated_at = now
    PerformanceRating.objects.bulk_update(updates, ["rating", "updated_at"], batch_size=1000)
    return [(r, None) for r in creates] + [(r, r._stored[0]) for r in updates]
