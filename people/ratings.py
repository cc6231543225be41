"""The trail of ratings written in bulk (file imports and `POST /api/v1/ratings/`).

`bulk_create`/`bulk_update` bypass Wagtail's history and auditlog's signals, so the importer
hands what it wrote to `rating_changes_record`, which leaves the entries an edit in the admin
leaves (core.trail): `wagtail.create`/`wagtail.edit` in the rating's history, an audit entry per
changed rating (the person's quarter: old → new) with the actor, plus the ImportBatch and the door
it came through (`additional_data`), written in bulk."""

from core.trail import before, trail_created, trail_updated

from .models import CivilServant, PerformanceRating

VIA_IMPORT = "import"
VIA_API = "api"


def rating_changes_record(
    *,
    changes: list[tuple[PerformanceRating, str | None]],
    actor,
    batch=None,
    via: str = VIA_IMPORT,
) -> int:
    """Write the history and audit entries of ratings just created or updated in bulk.

    `changes` holds (rating as saved, its previous rating code or None for a new one); each
    rating carries its pk, servant_id, year, quarter and new rating. Returns the number of
    ratings recorded."""
    if not changes:
        return 0
    _people_known(rating for rating, _old in changes)
    extra = {"via": via}
    if batch is not None:
        extra["import_batch"] = batch.pk
    trail_created(
        [rating for rating, old in changes if old is None], actor=actor, additional_data=extra
    )
    trail_updated(
        [(before(rating, rating=old), rating) for rating, old in changes if old is not None],
        fields=["rating"],
        actor=actor,
        additional_data=extra,
    )
    return len(changes)


def _people_known(ratings) -> None:
    """Each rating's person (named in its label), read in chunks instead of once per rating."""
    ratings = list(ratings)
    ids = sorted({rating.servant_id for rating in ratings})
    people = {}
    fields = ["id", "last_name", "first_name", "middle_name"]
    for start in range(0, len(ids), 5000):
        for values in CivilServant.objects.filter(pk__in=ids[start : start + 5000]).values_list(
            *fields
        ):
            people[values[0]] = CivilServant.from_db(None, fields, values)
    for rating in ratings:
        rating._state.fields_cache["servant"] = people[rating.servant_id]
