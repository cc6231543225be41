"""The trail of changes written in bulk: the entries the admin leaves, for many rows at once.

A change made by hand in the admin leaves two entries. Wagtail's create or edit action logs a
history entry (`wagtail.create` / `wagtail.edit`: the object's title as its label, the user, the
content type), read in the object's History and the Site history report; django-auditlog's
`post_save`/`pre_save` receivers write an audit entry (create / update, the field diff
old → new, the actor, `str()` of the object), read in the audit trail. Bulk writes (imports by
file, command or API) call no `save()`, so neither is written for them. This module builds the
same entries for instances written in bulk — the same values, computed as those receivers and
`wagtail.log_actions.log` compute them — and writes them in bulk, so an import leaves the trail
the same change made by hand leaves (tests/records/test_import_trail.py).

- `trail_created(instances, actor=…)` / `trail_updated(changes, fields=…, actor=…)`: what the
  admin's create and edit views leave. A service calls them after its bulk write, with the
  instances as stored (primary keys set; relations their `__str__` reads already cached:
  nothing may query the database while the entries stream out).
- `history_entries`, `audit_created`, `audit_updated` and `trail_write` for a service whose
  history actions are its own (enrolments.results: `enrolments.record.corrected`…).
- `before(instance, **values)`: the instance as it was, for an update whose old values the
  import kept (`_stored`) instead of a second instance.

Fast enough for 100k rows: entries are rows of values (JSON columns as JSON text, built
directly), streamed into one COPY per table on PostgreSQL (bulk_create in batches elsewhere),
never held all at once. Not reproduced: auditlog's `pre_log`/`post_log` signals (nothing here
listens to them) and the remote address (AUDITLOG_DISABLE_REMOTE_ADDR).
"""

import datetime
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from json.encoder import encode_basestring_ascii as _quote

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from auditlog.diff import (
    get_field_value,
    get_fields_in_model,
    get_mask_function,
    model_instance_diff,
)
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


class Entries:
    """Log rows of one log model: `columns` (attnames) and `rows` (tuples in that order; JSON
    columns as JSON text), possibly a generator, read once by `trail_write`."""

    __slots__ = ("columns", "model", "rows")

    def __init__(self, model, columns: Sequence[str], rows: Iterable[tuple]):
        self.model = model
        self.columns = tuple(columns)
        self.rows = rows

    def dicts(self) -> list[dict]:
        """The rows by column name, JSON columns decoded (reads the rows)."""
        json_columns = _json_columns(self.model)
        return [
            {
                column: json.loads(value) if column in json_columns and value else value
                for column, value in zip(self.columns, row, strict=True)
            }
            for row in self.rows
        ]


def trail_created(
    instances: Sequence[Model], *, actor, additional_data: dict | None = None
) -> None:
    """The trail of `instances` just created in bulk, as the admin's create view leaves it:
    `wagtail.create` in their history and an auditlog create entry with every field."""
    if not instances:
        return
    trail_write(
        history_entries(instances, action="wagtail.create", actor=actor),
        audit_created(instances, actor=actor, additional_data=additional_data),
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
    if not changes:
        return
    audit = audit_updated(changes, fields=fields, actor=actor, additional_data=additional_data)
    changed = {row[1] for row in audit.rows} if audit else set()
    trail_write(
        history_entries(
            [new for _old, new in changes if str(new.pk) in changed],
            action="wagtail.edit",
            actor=actor,
        ),
        audit,
    )


def before(instance: Model, **values) -> Model:
    """A copy of `instance` with `values` (field attnames) as they were before the update."""
    twin = type(instance).__new__(type(instance))
    twin.__dict__ = {**instance.__dict__, **values}
    return twin


# -- Wagtail's history -----------------------------------------------------------------------

HISTORY_COLUMNS = (
    "content_type_id",
    "object_id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
)


def history_entries(
    instances: Sequence[Model],
    *,
    action: str,
    actor,
    data: Callable[[Model], dict] | None = None,
    content_changed: bool | None = None,
) -> Entries | None:
    """History entries as `wagtail.log_actions.log(instance, action, user=actor, data=…)`
    writes them. `content_changed` defaults to what the admin's create and edit actions set:
    True for `wagtail.create` and `wagtail.edit`."""
    if not instances:
        return None
    model = log_action_registry.get_log_model_for_instance(instances[0])
    if model is None:  # no logger for this kind of object: log() bails out silently too
        return None
    _check_action(model, action)
    if content_changed is None:
        content_changed = action in ("wagtail.create", "wagtail.edit")
    context = get_active_log_context()
    user = _user(actor) or context.user
    content_type_id = ContentType.objects.get_for_model(instances[0], for_concrete_model=False).pk
    title = model.objects.get_instance_title
    now, uuid, user_id = timezone.now(), context.uuid, user.pk if user else None

    def rows():
        for instance in instances:
            yield (
                content_type_id,
                str(instance.pk),
                title(instance),
                action,
                json.dumps(data(instance), cls=DjangoJSONEncoder) if data else "{}",
                now,
                uuid,
                user_id,
                None,
                content_changed,
                False,
            )

    return Entries(model, HISTORY_COLUMNS, rows())


_checked_actions: set[tuple[type, str]] = set()


def _check_action(model, action: str) -> None:
    """The action must be registered (the log model's clean() checks it): once per action."""
    if (model, action) not in _checked_actions:
        log_action_registry.scan_for_actions()
        model(action=action).clean()
        _checked_actions.add((model, action))


# -- django-auditlog -------------------------------------------------------------------------

AUDIT_COLUMNS = (
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "serialized_data",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "actor_email",
    "cid",
    "remote_addr",
    "remote_port",
    "timestamp",
    "additional_data",
)


def audit_created(
    instances: Sequence[Model], *, actor, additional_data: dict | None = None
) -> Entries | None:
    """Audit entries as auditlog's `post_save` receiver writes them for new instances:
    action create, `model_instance_diff(None, instance)` (every tracked field, reverse
    relations included), `str(instance)`. Models auditlog does not track get none."""
    if not instances or not auditlog.contains(type(instances[0])):
        return None
    model = type(instances[0])
    if settings.AUDITLOG_STORE_JSON_CHANGES:  # not ours: auditlog's own, row by row

        def diff(instance):
            changes = model_instance_diff(None, instance, use_json_for_changes=True)
            return json.dumps(changes, cls=DjangoJSONEncoder) if changes else None

    else:
        diff = _created_diff(model, _created_fields(model), instances[0])
    return _audit_entries(
        model,
        ((instance, diff(instance)) for instance in instances),
        get_logentry_model().Action.CREATE,
        actor,
        additional_data,
    )


def audit_updated(
    changes: Sequence[tuple[Model, Model]],
    *,
    fields: Iterable[str],
    actor,
    additional_data: dict | None = None,
) -> Entries | None:
    """Audit entries as auditlog's `pre_save` receiver writes them for an update of `fields`:
    action update, the fields whose value changed (old → new). `auto_now` fields are left
    out: the receiver diffs before `save()` stamps them. Pairs with no change get none.
    The rows are read here (a list): few rows change in an import."""
    if not changes or not auditlog.contains(type(changes[0][1])):
        return None
    model = type(changes[0][1])
    names = set(fields)
    tracked = [
        f
        for f in _filtered(model, model._meta.fields)
        if (f.name in names or f.attname in names) and not getattr(f, "auto_now", False)
    ]
    options = auditlog.get_model_fields(model)
    mask = get_mask_function(options.get("mask_callable"))
    use_json = settings.AUDITLOG_STORE_JSON_CHANGES

    def diff(old, new):
        found = {}
        for field in tracked:
            was = get_field_value(old, field, use_json)
            now = get_field_value(new, field, use_json)
            if was != now:
                if field.name in options["mask_fields"]:
                    found[field.name] = [mask(smart_str(was)), mask(smart_str(now))]
                elif use_json:
                    found[field.name] = [was, now]
                else:
                    found[field.name] = [smart_str(was), smart_str(now)]
        return json.dumps(found, cls=DjangoJSONEncoder) if found else None

    entries = _audit_entries(
        model,
        ((new, diff(old, new)) for old, new in changes),
        get_logentry_model().Action.UPDATE,
        actor,
        additional_data,
    )
    entries.rows = list(entries.rows)
    return entries


def _audit_entries(model, diffs, action, actor, additional_data) -> Entries:
    user = _user(actor)
    content_type_id = ContentType.objects.get_for_model(model).pk
    actor_id = user.pk if user else None
    actor_email = (getattr(user, "email", None) or None) if user else None
    cid, now = get_cid(), timezone.now()
    serialize = auditlog.get_serialize_options(model)["serialize_data"]
    serialized = get_logentry_model().objects._get_serialized_data_or_none
    # log_create asks the instance for its additional data when none is given.
    ask = additional_data is None and hasattr(model, "get_additional_data")
    extra = json.dumps(additional_data, cls=DjangoJSONEncoder) if additional_data else None

    def rows():
        for instance, changes in diffs:
            if changes is None:
                continue
            pk = instance.pk
            yield (
                content_type_id,
                str(pk),
                pk if isinstance(pk, int) else None,
                smart_str(instance),
                _dumps(serialized(instance)) if serialize else None,
                action,
                "",
                changes,
                actor_id,
                actor_email,
                cid,
                None,
                None,
                now,
                _dumps(instance.get_additional_data()) if ask else extra,
            )

    return Entries(get_logentry_model(), AUDIT_COLUMNS, rows())


def _dumps(value) -> str | None:
    return None if value is None else json.dumps(value, cls=DjangoJSONEncoder)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# -- the create diff, as auditlog computes it, without its per-field dispatch ------------------

# Types whose equal values read the same (a Decimal's trailing zeros do not).
_WORDED_ONCE = frozenset({datetime.date, int, bool})
_OLD = "None"  # get_field_value(None, field) on a create: no instance, no default → "None"
_PLAIN, _RELATED_ID, _MOMENT, _CONSTANT, _OTHER = range(5)


def _filtered(model, fields) -> list:
    """The fields auditlog tracks for `model` (its include_fields / exclude_fields)."""
    options = auditlog.get_model_fields(model)
    fields = list(fields)
    if options["include_fields"]:
        fields = [f for f in fields if f.name in options["include_fields"]]
    if options["exclude_fields"]:
        fields = [f for f in fields if f.name not in options["exclude_fields"]]
    return fields


def _created_fields(model) -> list:
    """What `model_instance_diff(None, new)` walks: every field but many-to-many ones,
    reverse relations included, filtered by the registration."""
    return _filtered(model, get_fields_in_model(model()))


def _created_diff(model, fields, sample) -> Callable[[Model], str | None]:
    """A function giving `model_instance_diff(None, instance)` of a new instance as the JSON
    text auditlog stores: for each field, what `get_field_value` reads, by the kind of field
    decided once. A reverse relation's value (its empty manager's name on a new row) does not
    depend on the row: read once from `sample`."""
    options = auditlog.get_model_fields(model)
    mask = get_mask_function(options.get("mask_callable"))
    plan = []
    for field in fields:
        prefix = f'{_quote(field.name)}: ["None", '
        if field.name in options["mask_fields"]:
            plan.append((f"{_quote(field.name)}: [{_quote(mask(_OLD))}, ", _OTHER, field, mask))
        elif not getattr(field, "concrete", False):
            value = get_field_value(sample, field)
            if value != _OLD:
                plan.append((prefix + _quote(smart_str(value)) + "]", _CONSTANT, None, None))
        elif isinstance(field, DateTimeField):
            plan.append((prefix, _MOMENT, field, None))
        elif isinstance(field, JSONField):
            plan.append((prefix, _OTHER, field, None))
        elif (
            not settings.AUDITLOG_USE_FK_STRING_REPRESENTATION
            and (field.one_to_one or field.many_to_one)
            and hasattr(field, "rel_class")
        ):
            plan.append((prefix, _RELATED_ID, field.attname, None))
        elif field.is_relation:
            plan.append((prefix, _OTHER, field, None))
        else:
            plan.append((prefix, _PLAIN, field.attname, None))
    utc, use_tz = datetime.UTC, settings.USE_TZ
    # A bulk write stamps its rows with one moment or a few, and its dates and numbers
    # repeat: each is worded once (keyed by type too: True and 1 are equal, not their words;
    # only types whose equal values have one wording, unlike Decimal("1.0") and "1.00").
    moments: dict = {}
    worded: dict = {}

    def diff(instance):
        values = instance.__dict__
        parts = []
        for prefix, kind, what, masking in plan:
            if kind == _PLAIN:
                value = values[what] if what in values else getattr(instance, what)
                if type(value) is not str:
                    kind_of = type(value)
                    key = (kind_of, value) if kind_of in _WORDED_ONCE else None
                    text = worded.get(key) if key is not None else None
                    if text is None:
                        text = smart_str(value)
                        if isinstance(text, Promise):
                            text = str(text)
                        if key is not None and len(worded) < 10_000:
                            worded[key] = text
                    value = text
                if value == _OLD:
                    continue
            elif kind == _RELATED_ID:  # an id, or None: None differs from "None", so it shows
                value = values[what] if what in values else getattr(instance, what)
                value = str(value)
            elif kind == _CONSTANT:
                parts.append(prefix)
                continue
            elif kind == _MOMENT:
                raw = values.get(what.attname)
                value = moments.get(raw) if raw is not None else None
                if value is None:
                    value = what.to_python(raw)
                    if value is None:
                        continue
                    if use_tz and not timezone.is_naive(value):
                        value = timezone.make_naive(value, timezone=utc)
                    value = str(value)
                    if len(moments) < 1000:
                        moments[raw] = value
            else:
                value = get_field_value(instance, what)
                if value == _OLD:
                    continue
                value = smart_str(value)
                if masking:
                    value = masking(value)
            parts.append(prefix + _quote(value) + "]")
        return "{" + ", ".join(parts) + "}" if parts else None

    return diff


# -- writing ---------------------------------------------------------------------------------


def trail_write(*entries: Entries | None) -> None:
    """Write entries (from the builders above) in bulk: one COPY each on PostgreSQL,
    bulk_create in batches elsewhere. The rows stream: none is held longer than its batch."""
    for group in entries:
        if group is not None:
            _write(group)


def _json_columns(model) -> set[str]:
    return {f.attname for f in model._meta.concrete_fields if isinstance(f, JSONField)}


def _write(entries: Entries) -> None:
    model = entries.model
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        # get_field() knows fields by attname too (`content_type_id`).
        columns = [quote(model._meta.get_field(name).column) for name in entries.columns]
        sql = f"COPY {quote(model._meta.db_table)} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            for row in entries.rows:
                write(row)
        return
    json_columns = _json_columns(model)
    rows: Iterator[tuple] = iter(entries.rows)
    while batch := list(itertools.islice(rows, BATCH)):
        model.objects.bulk_create(
            [
                model(
                    **{
                        column: json.loads(value) if column in json_columns and value else value
                        for column, value in zip(entries.columns, row, strict=True)
                    }
                )
                for row in batch
            ]
        )
