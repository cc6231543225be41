"""Writes of this app's records that more than one door uses (file imports, the API).

The import kinds (people.resources) validate and scope every row first; these write what they
hand over, inside the import's transaction."""

from django.db import connection
from django.utils import timezone

from core.copying import CopyStream
from core.trail import before, trail_created, trail_updated

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
# What an updated servant's `_stored` holds (people.resources.ServantResource), in this order.
SERVANT_STORED = tuple(f for f in SERVANT_UPDATE_FIELDS if f != "updated_at")


def servants_import(
    *,
    creates: list[CivilServant],
    updates: list[CivilServant],
    new_positions: list[Position],
    actor,
) -> None:
    """Register new positions, then new servants (COPY on PostgreSQL) and the changed ones,
    with the trail the admin leaves for each (core.trail). A servant waiting for a new
    position carries it in `_new_position`; an updated one its stored values in `_stored`;
    one already sent by a `NewServantsStream` (the same transaction) is `_copied`."""
    Position.objects.bulk_create(new_positions, batch_size=1000)
    for servant in (*creates, *updates):
        position = getattr(servant, "_new_position", None)
        if position is not None:
            servant.position_id = position.pk
    now = timezone.now()
    pending = [servant for servant in creates if not getattr(servant, "_copied", False)]
    for servant in pending:
        _stamp_new(servant, now)
    if connection.vendor == "postgresql":
        _copy_new_servants(pending)
    else:
        CivilServant.objects.bulk_create(pending, batch_size=2000)
    for servant in updates:  # bulk_update skips auto_now: incremental syncs rely on it
        servant.updated_at = now
    CivilServant.objects.bulk_update(updates, SERVANT_UPDATE_FIELDS, batch_size=1000)
    _servants_trail(creates, updates, new_positions, actor)


def _stamp_new(servant: CivilServant, now) -> None:
    servant.first_appointed_on = servant.appointed_on
    servant.created_at = servant.updated_at = now


class NewServantsStream(CopyStream):
    """New servants sent to the database while an import is still checking its file (core.copying):
    `reserve(n)` takes ids from the table's sequence for up to n new servants (before any is
    sent: a query ends the COPY), `send(servant)` gives one of them an id, its pseudonym and
    timestamps as `servants_import` would, and streams its row. `servants_import` then writes
    only the servants not sent (`_copied`), and the trail of all. PostgreSQL only
    (`new_servants_stream()` is None elsewhere)."""

    def __init__(self):
        super().__init__(CivilServant._meta.db_table, _COPY_COLUMNS)
        self.now = timezone.now()
        self._ids: list[int] = []

    def reserve(self, count: int) -> None:
        self._ids = list(reversed(_servant_ids(count)))

    def send(self, servant: CivilServant) -> bool:
        """Streams a checked new servant whose position exists; False when it must wait for
        `servants_import` (a new position has no id yet, or the reserved ids ran out)."""
        if servant.position_id is None or not self._ids:
            return False
        servant.pk = self._ids.pop()
        servant.pseudonym = servant.pseudonym or new_pseudonym()
        servant._state.adding = False
        _stamp_new(servant, self.now)
        self.write(_copy_row(servant))
        servant._copied = True
        return True


def new_servants_stream() -> NewServantsStream | None:
    return NewServantsStream() if connection.vendor == "postgresql" else None


def _servants_trail(creates, updates, new_positions, actor) -> None:
    """History and audit entries of what `servants_import` wrote, as the admin's create and
    edit views leave them."""
    trail_created(new_positions, actor=actor)
    if creates and creates[0].pk is None:  # a backend whose bulk_create returns no ids
        _ids_read_back(creates)
    trail_created(creates, actor=actor)
    trail_updated(
        [(before(s, **dict(zip(SERVANT_STORED, s._stored, strict=True))), s) for s in updates],
        fields=SERVANT_STORED,
        actor=actor,
    )


def _ids_read_back(creates: list[CivilServant]) -> None:
    """The ids (and pseudonyms) of servants just copied in, by IIN, 10k per query."""
    table = connection.ops.quote_name(CivilServant._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(creates), 10_000):
            chunk = creates[start : start + 10_000]
            cursor.execute(
                f"SELECT iin, id, pseudonym FROM {table} WHERE iin = ANY(%s)",
                [[servant.iin for servant in chunk]],
            )
            stored = {iin: (pk, pseudonym) for iin, pk, pseudonym in cursor.fetchall()}
            for servant in chunk:
                servant.pk, servant.pseudonym = stored[servant.iin]
                servant._state.adding = False


_COPY_COLUMNS = (
    "id",
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


def _servant_ids(count: int) -> list[int]:
    """`count` new ids from the servants' sequence, in one query. Taken before the COPY, so
    nothing reads them back by IIN after it (100k servants: 100k index look-ups fewer)."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [CivilServant._meta.db_table, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _copy_row(servant: CivilServant) -> tuple:
    return (
        servant.pk,
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
        servant.pseudonym,
        servant.created_at,
        servant.updated_at,
    )


def _copy_new_servants(creates: list[CivilServant]) -> None:
    """New servants through PostgreSQL's COPY instead of bulk_create's INSERT (100k servants:
    8.6k → 21k rows/s in benchmarks/import_export.py). Same columns and defaults as the model;
    the import tests run on PostgreSQL too. The servants get their ids (and pseudonyms) here,
    taken from the sequence before the COPY, as the trail needs them."""
    if not creates:
        return
    for servant, pk in zip(creates, _servant_ids(len(creates)), strict=True):
        servant.pk = pk
        servant.pseudonym = servant.pseudonym or new_pseudonym()
        servant._state.adding = False
    with CopyStream(CivilServant._meta.db_table, _COPY_COLUMNS) as stream:
        for servant in creates:
            stream.write(_copy_row(servant))


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
