"""The trail of changes written in bulk: the entries the admin leaves, for many rows at once.

A change made by hand in the admin leaves two entries. Wagtail's create or edit action logs a
history entry (`wagtail.create` / `wagtail.edit`: the object's title as its label, the user, the
content type), read in the object's History and the Site history report; django-auditlog's
`post_save`/`pre_save` receivers write an audit entry (create / update, the field diff
old → new, the actor, `str()` of the object), read in the audit trail. Bulk writes (imports by
file, command or API) call no `save()`, so neither is written for them. This module builds the
same entries for instances written in bulk — the same values, computed as those receivers and
`wagtail.log_actions.log` compute them — and writes them in bulk (COPY on PostgreSQL), so an
import leaves the trail the same change made by hand leaves (tests/records/test_import_trail.py).

- `trail_created(instances, actor=…)` / `trail_updated(changes, fields=…, actor=…)`: what the
  admin's create and edit views leave. A service calls them after its bulk write, with the
  instances as stored (primary keys set; relations their `__str__` reads already cached).
- `history_entries`, `audit_created`, `audit_updated` and `trail_write` for a service whose
  history actions are its own (enrolments.results: `enrolments.record.corrected`…).
- `before(instance, **values)`: the instance as it was, for an update whose old values the
  import kept (`_stored`) instead of a second instance.

Not reproduced: auditlog's `pre_log`/`post_log` signals (nothing here listens) and the
remote address (AUDITLOG_DISABLE_REMOTE_ADDR).
"""

import datetime
import functools
import json
from collections.abc import Callable, Iterable, Sequence

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from auditlog.diff import get_field_value, get_fields_in_model, get_mask_function
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import DateTimeField, JSONField, Model
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.functional import Promise
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_action_registry

BATCH = 5000


def trail_created(
    instances: Sequence[Model], *, actor, additional_data: dict | None = None
) -> None:
    """The trail of `instances` just created in bulk, as the admin's create view leaves it:
    `wagtail.create` in their history and an auditlog create entry with every field."""
    if not instances:
        return
    trail_write(
        history=history_entries(instances, action="wagtail.create", actor=actor),
        audit=audit_created(instances, actor=actor, additional_data=additional_data),
    )


def trail_updated(
    changes: Sequence[tuple[Model, Model]],
    *,
    fields: Iterable[str],
    actor,
    additional_data: dict | None = None,
) -> None:
    """The trail of (old, new) pairs just updated in bulk, as the admin's edit view leaves it:
    `wagtail.edit` in the history and an auditlog update entry with the changed `fields`
    (names or attnames; what the bulk update wrote). A pair with no change leaves nothing,
    as an unchanged row of an import leaves nothing."""
    audit = audit_updated(changes, fields=fields, actor=actor, additional_data=additional_data)
    changed = {entry["object_pk"] for entry in audit}
    trail_write(
        history=history_entries(
            [new for _old, new in changes if str(new.pk) in changed],
            action="wagtail.edit",
            actor=actor,
        ),
        audit=audit,
    )


def before(instance: Model, **values) -> Model:
    """A copy of `instance` with `values` (field attnames) as they were before the update."""
    twin = type(instance).__new__(type(instance))
    twin.__dict__ = {**instance.__dict__, **values}
    return twin


# -- Wagtail's history -----------------------------------------------------------------------


def history_entries(
    instances: Iterable[Model],
    *,
    action: str,
    actor,
    data: Callable[[Model], dict] | None = None,
    content_changed: bool | None = None,
) -> list[dict]:
    """History entries as `wagtail.log_actions.log(instance, action, user=actor, data=…)`
    writes them (rows of the log model, by column). `content_changed` defaults to what the
    admin's create and edit actions set: True for `wagtail.create` and `wagtail.edit`."""
    instances = list(instances)
    if not instances:
        return []
    model = log_action_registry.get_log_model_for_instance(instances[0])
    if model is None:  # no logger for this kind of object: log() bails out silently too
        return []
    _check_action(model, action)
    if content_changed is None:
        content_changed = action in ("wagtail.create", "wagtail.edit")
    context = get_active_log_context()
    user = _user(actor) or context.user
    common = {
        "content_type_id": ContentType.objects.get_for_model(
            instances[0], for_concrete_model=False
        ).pk,
        "action": action,
        "timestamp": timezone.now(),
        "uuid": context.uuid,
        "user_id": user.pk if user else None,
        "revision_id": None,
        "content_changed": content_changed,
        "deleted": False,
        "_model": model,
    }
    title = model.objects.get_instance_title
    return [
        {
            **common,
            "object_id": str(instance.pk),
            "label": title(instance),
            "data": data(instance) if data else {},
        }
        for instance in instances
    ]


_checked_actions: set[tuple[type, str]] = set()


def _check_action(model, action: str) -> None:
    """The action must be registered (the log model's clean() checks it): once per action."""
    if (model, action) not in _checked_actions:
        log_action_registry.scan_for_actions()
        model(action=action).clean()
        _checked_actions.add((model, action))


# -- django-auditlog -------------------------------------------------------------------------


def audit_created(
    instances: Sequence[Model], *, actor, additional_data: dict | None = None
) -> list[dict]:
    """Audit entries as auditlog's `post_save` receiver writes them for new instances:
    action create, `model_instance_diff(None, instance)` (every tracked field, reverse
    relations included), `str(instance)`. Models auditlog does not track get none."""
    if not instances or not auditlog.contains(type(instances[0])):
        return []
    model = type(instances[0])
    if settings.AUDITLOG_STORE_JSON_CHANGES:  # not ours: auditlog's own, row by row
        from auditlog.diff import model_instance_diff

        diffs = [
            model_instance_diff(None, instance, use_json_for_changes=True) for instance in instances
        ]
    else:
        plan = _plan(model, _created_fields(model), instances[0])
        diffs = [_created_diff(instance, plan) for instance in instances]
    action = get_logentry_model().Action.CREATE
    common = _audit_common(model, actor, additional_data)
    return [
        _audit_row(instance, action, diff, common)
        for instance, diff in zip(instances, diffs, strict=True)
        if diff
    ]


def audit_updated(
    changes: Sequence[tuple[Model, Model]],
    *,
    fields: Iterable[str],
    actor,
    additional_data: dict | None = None,
) -> list[dict]:
    """Audit entries as auditlog's `pre_save` receiver writes them for an update of `fields`:
    action update, the fields whose value changed (old → new). `auto_now` fields are left
    out: the receiver diffs before `save()` stamps them. Pairs with no change get none."""
    if not changes or not auditlog.contains(type(changes[0][1])):
        return []
    model = type(changes[0][1])
    names = set(fields)
    tracked = [
        f
        for f in _filtered(model, model._meta.fields)
        if (f.name in names or f.attname in names) and not getattr(f, "auto_now", False)
    ]
    plan = _plan(model, tracked, changes[0][1])
    use_json = settings.AUDITLOG_STORE_JSON_CHANGES
    action = get_logentry_model().Action.UPDATE
    common = _audit_common(model, actor, additional_data)
    rows = []
    for old, new in changes:
        diff = {}
        for name, value_of, mask in plan:
            was, now = value_of(old), value_of(new)
            if was != now:
                if mask:
                    diff[name] = [mask(smart_str(was)), mask(smart_str(now))]
                elif use_json:
                    diff[name] = [was, now]
                else:
                    diff[name] = [smart_str(was), smart_str(now)]
        if diff:
            rows.append(_audit_row(new, action, diff, common))
    return rows


def _audit_common(model, actor, additional_data) -> dict:
    user = _user(actor)
    options = auditlog.get_serialize_options(model)
    return {
        "content_type_id": ContentType.objects.get_for_model(model).pk,
        "actor_id": user.pk if user else None,
        "actor_email": (getattr(user, "email", None) or None) if user else None,
        "cid": get_cid(),
        "timestamp": timezone.now(),
        "changes_text": "",
        "remote_addr": None,
        "remote_port": None,
        "additional_data": additional_data,
        "_serialize": options["serialize_data"],
        "_extra": hasattr(model, "get_additional_data"),
        "_model": get_logentry_model(),
    }


def _audit_row(instance, action, diff, common) -> dict:
    pk = instance.pk
    row = {
        **common,
        "object_pk": str(pk),
        "object_id": pk if isinstance(pk, int) else None,
        "object_repr": smart_str(instance),
        "action": action,
        "changes": diff,
        "serialized_data": None,
    }
    if common["_serialize"]:
        row["serialized_data"] = get_logentry_model().objects._get_serialized_data_or_none(instance)
    if common["_extra"] and common["additional_data"] is None:  # as log_create asks it
        row["additional_data"] = instance.get_additional_data()
    return row


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# -- the diff, as auditlog computes it, without its per-field dispatch --------------------------

_OLD_OF_CREATE = "None"  # get_field_value(None, field): no instance, no default → "None"


def _filtered(model, fields) -> list:
    """The fields auditlog tracks for `model` (its include_fields / exclude_fields)."""
    options = auditlog.get_model_fields(model)
    fields = list(fields)
    if options["include_fields"]:
        fields = [f for f in fields if f.name in options["include_fields"]]
    if options["exclude_fields"]:
        fields = [f for f in fields if f.name not in options["exclude_fields"]]
    return fields


@functools.cache
def _created_fields(model) -> list:
    """What `model_instance_diff(None, new)` walks: every field but many-to-many ones,
    reverse relations included, filtered by the registration."""
    return _filtered(model, get_fields_in_model(model()))


def _plan(model, fields, sample) -> list[tuple]:
    """(name, value_of(instance), mask or None) per field, with `get_field_value`'s result
    for each kind of field. A reverse relation's value (its empty manager's name on a new
    row) does not depend on the row: read once from `sample`."""
    options = auditlog.get_model_fields(model)
    mask = get_mask_function(options.get("mask_callable"))
    use_json = settings.AUDITLOG_STORE_JSON_CHANGES
    plan = []
    for field in fields:
        value_of = _value_reader(field, sample, use_json)
        plan.append((field.name, value_of, mask if field.name in options["mask_fields"] else None))
    return plan


def _value_reader(field, sample, use_json) -> Callable:
    if not getattr(field, "concrete", False):
        constant = get_field_value(sample, field, use_json)
        return lambda _instance: constant
    attname = field.attname
    if isinstance(field, DateTimeField):
        utc = datetime.UTC

        def value_of(instance):
            values = instance.__dict__
            value = values[attname] if attname in values else getattr(instance, attname)
            value = field.to_python(value)
            if value is not None and settings.USE_TZ and not timezone.is_naive(value):
                value = timezone.make_naive(value, timezone=utc)
            return value if use_json else smart_str(value)

        return value_of
    if isinstance(field, JSONField) or use_json:
        return lambda instance: get_field_value(instance, field, use_json)
    if (
        not settings.AUDITLOG_USE_FK_STRING_REPRESENTATION
        and (field.one_to_one or field.many_to_one)
        and hasattr(field, "rel_class")
    ):

        def related_id(instance):
            values = instance.__dict__
            value = values[attname] if attname in values else getattr(instance, attname)
            return smart_str(value, strings_only=True)

        return related_id
    if field.is_relation:  # the related object's str(): auditlog's own reading
        return lambda instance: get_field_value(instance, field, use_json)

    def plain(instance):
        values = instance.__dict__
        value = smart_str(values[attname] if attname in values else getattr(instance, attname))
        return str(value) if isinstance(value, Promise) else value

    return plain


def _created_diff(instance, plan) -> dict | None:
    diff = {}
    for name, value_of, mask in plan:
        new = value_of(instance)
        if new != _OLD_OF_CREATE:
            if mask:
                diff[name] = [mask(_OLD_OF_CREATE), mask(smart_str(new))]
            else:
                diff[name] = [_OLD_OF_CREATE, smart_str(new)]
    return diff or None


# -- writing ---------------------------------------------------------------------------------


def trail_write(*, history: Sequence[dict] = (), audit: Sequence[dict] = ()) -> None:
    """Write history and audit rows (from the builders above) in bulk: COPY on PostgreSQL,
    bulk_create elsewhere."""
    by_model: dict[type, list[dict]] = {}
    for row in (*history, *audit):
        by_model.setdefault(row["_model"], []).append(row)
    for model, rows in by_model.items():
        _write(model, rows)


def _columns(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _write(model, rows: Sequence[dict]) -> None:
    fields = _columns(model)
    if connection.vendor == "postgresql":
        names = [f.attname for f in fields]
        json_names = {f.attname: f.encoder for f in fields if isinstance(f, JSONField)}
        sql = (
            f"COPY {connection.ops.quote_name(model._meta.db_table)} "
            f"({', '.join(connection.ops.quote_name(f.column) for f in fields)}) FROM STDIN"
        )
        dumps = json.dumps
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [
                        (
                            None
                            if row[name] is None
                            else dumps(row[name], cls=json_names[name] or DjangoJSONEncoder)
                        )
                        if name in json_names
                        else row[name]
                        for name in names
                    ]
                )
        return
    model.objects.bulk_create(
        [model(**{f.attname: row[f.attname] for f in fields}) for row in rows], batch_size=BATCH
    )
