"""The audit trail of ratings written in bulk (file imports and `POST /api/v1/ratings/`).

`bulk_create`/`bulk_update` bypass auditlog's signals, so the importer hands what it wrote
to `rating_changes_record`, which adds one audit entry per changed rating (the person's
quarter: old → new), with the actor, the ImportBatch and the door it came through, in one
`bulk_create` — the same entries an edit in the admin leaves, readable in the audit trail."""

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

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
    """Write the audit entries of ratings just created or updated in bulk.

    `changes` holds (rating as saved, its previous rating code or None for a new one); each
    rating carries its pk, servant_id, year, quarter and new rating. Returns the number of
    entries written."""
    if not changes:
        return 0
    user = actor if getattr(actor, "is_authenticated", False) else None
    names = _names({rating.servant_id for rating, _old in changes})
    extra = {"via": via}
    if batch is not None:
        extra["import_batch"] = batch.pk
    # Ids, not instances: assigning a related instance costs a router check per entry.
    common = {
        "content_type_id": ContentType.objects.get_for_model(PerformanceRating).pk,
        "actor_id": user.pk if user else None,
        "actor_email": (user.email or None) if user else None,
        "cid": get_cid(),
        "additional_data": extra,
    }
    entries = []
    for rating, old in changes:
        if old is None:
            action = LogEntry.Action.CREATE
            diff = {
                "servant": ["None", str(rating.servant_id)],
                "year": ["None", str(rating.year)],
                "quarter": ["None", str(rating.quarter)],
                "rating": ["None", rating.rating],
            }
        else:
            action = LogEntry.Action.UPDATE
            diff = {"rating": [old, rating.rating]}
        entries.append(
            LogEntry(
                object_pk=str(rating.pk),
                object_id=rating.pk,
                object_repr=(
                    f"{names.get(rating.servant_id, rating.servant_id)}: "
                    f"{rating.year} Q{rating.quarter}"
                ),
                action=action,
                changes=diff,
                **common,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def _names(servant_ids) -> dict[int, str]:
    """Servant id → full name, in chunks (no per-row queries)."""
    ids = sorted(servant_ids)
    names = {}
    for start in range(0, len(ids), 5000):
        for pk, *parts in CivilServant.objects.filter(pk__in=ids[start : start + 5000]).values_list(
            "pk", "last_name", "first_name", "middle_name"
        ):
            names[pk] = " ".join(p for p in parts if p)
    return names
