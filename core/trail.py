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
- `trail_created_stored(instances, key=…, actor=…)`: `trail_created` for instances copied in
  without their ids (people.services): on PostgreSQL the database writes the same entries
  from the stored rows; False when it cannot, and the caller takes the way above.

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

    def diff(instance):
        values = instance.__dict__
        parts = []
        for prefix, kind, what, masking in plan:
            if kind == _PLAIN:
                value = values[what] if what in values else getattr(instance, what)
                if type(value) is not str:
                    value = smart_str(value)
                    if isinstance(value, Promise):
                        value = str(value)
                if value == _OLD:
                    continue
            elif kind == _RELATED_ID:  # an id, or None: None differs from "None", so it shows
                value = values[what] if what in values else getattr(instance, what)
                value = str(value)
            elif kind == _CONSTANT:
                parts.append(prefix)
                continue
            elif kind == _MOMENT:
                value = what.to_python(values.get(what.attname))
                if value is None:
                    continue
                if use_tz and not timezone.is_naive(value):
                    value = timezone.make_naive(value, timezone=utc)
                value = str(value)
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


# -- the create trail written by the database itself (PostgreSQL) ------------------------------


def trail_created_stored(instances: Sequence[Model], *, key: str, actor) -> bool:
    """The trail `trail_created` leaves, for instances just copied in without their primary
    keys (a COPY returns none): PostgreSQL writes the history and audit entries itself, one
    statement per 5,000 instances (`INSERT … SELECT` into both tables from the rows just
    stored, found by the unique field `key`), so no id is read back and no entry is built or
    sent row by row. Same rows as `history_entries` and `audit_created`: the label and the
    object's text are `str()` of the instance (sent as one array), the create diff is
    `_created_diff`'s plan built as jsonb, in the instances' order
    (tests/records/test_import_trail.py compares both ways).

    Returns False, writing nothing, where the database cannot write them so (not PostgreSQL;
    a diff auditlog must compute itself: masked, JSON or string-represented fields, other
    kinds of columns, serialized or a model's own additional data): the caller then reads
    the ids back and calls `trail_created`."""
    if not instances:
        return True
    if connection.vendor != "postgresql":
        return False
    model = type(instances[0])
    history_model = log_action_registry.get_log_model_for_instance(instances[0])
    plan = _stored_plan(model, history_model, key)
    if plan is None:
        return False
    statement, constant = plan
    params = {}
    if history_model is not None:
        _check_action(history_model, "wagtail.create")
        context = get_active_log_context()
        user = _user(actor) or context.user
        params |= {
            "h_type": ContentType.objects.get_for_model(model, for_concrete_model=False).pk,
            "h_fallback": f"{model.__name__} object (",
            "h_now": timezone.now(),
            "h_uuid": context.uuid,
            "h_user": user.pk if user else None,
        }
    if auditlog.contains(model):
        user = _user(actor)
        params |= {
            "a_type": ContentType.objects.get_for_model(model).pk,
            "a_constant": json.dumps(constant, cls=DjangoJSONEncoder),
            "a_action": get_logentry_model().Action.CREATE,
            "a_actor": user.pk if user else None,
            "a_email": (getattr(user, "email", None) or None) if user else None,
            "a_cid": get_cid(),
            "a_now": timezone.now(),
        }
    attname = model._meta.get_field(key).attname
    with connection.cursor() as cursor:
        for start in range(0, len(instances), BATCH):
            chunk = instances[start : start + BATCH]
            params["keys"] = [getattr(instance, attname) for instance in chunk]
            params["texts"] = [smart_str(instance) for instance in chunk]
            cursor.execute(statement, params)
    return True


_stored_plans: dict[tuple, tuple[str, dict] | None] = {}
_TEXT_TYPES = {"CharField", "TextField", "SlugField"}
_NUMBER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


def _stored_plan(model, history_model, key: str) -> tuple[str, dict] | None:
    """(the statement, the diff's constant part) for `trail_created_stored`, or None when
    the database cannot write the entries; worked out once per model."""
    if (model, key) not in _stored_plans:
        _stored_plans[model, key] = _build_stored_plan(model, history_model, key)
    return _stored_plans[model, key]


def _sql_text(field, column: str) -> tuple[str, bool] | None:
    """SQL giving what `_created_diff` reads for a plain field (`smart_str()` of the value)
    when the column is not NULL, and whether that text may be "None" (text columns only);
    None for a kind of field not rendered here. Dates as text: ISO (checked by the caller)."""
    kind = field.get_internal_type()
    if kind in _TEXT_TYPES:
        return column, True
    if kind in _NUMBER_TYPES or kind == "DateField":
        return f"{column}::text", False
    if kind == "BooleanField":
        return f"CASE WHEN {column} THEN 'True' ELSE 'False' END", False
    if isinstance(field, DateTimeField) and settings.USE_TZ:  # naive UTC, as str() writes it
        utc = f"({column} AT TIME ZONE 'UTC')"
        return (
            f"to_char({utc}, CASE WHEN date_trunc('second', {column}) = {column} "
            "THEN 'YYYY-MM-DD HH24:MI:SS' ELSE 'YYYY-MM-DD HH24:MI:SS.US' END)"
        ), False
    return None


def _diff_sql(model) -> tuple[str, dict] | None:
    """`_created_diff` as a jsonb expression over the stored row `s`, and its constant part
    (reverse relations); None where auditlog must compute it itself."""
    options = auditlog.get_model_fields(model)
    if (
        settings.AUDITLOG_STORE_JSON_CHANGES
        or settings.AUDITLOG_USE_FK_STRING_REPRESENTATION
        or options["mask_fields"]
        or auditlog.get_serialize_options(model)["serialize_data"]
        or hasattr(model, "get_additional_data")
    ):
        return None
    quote = connection.ops.quote_name
    pairs, constant, sample = [], {}, model()
    for field in _created_fields(model):
        name = field.name
        if not getattr(field, "concrete", False):  # a reverse relation: the same text always
            value = get_field_value(sample, field)
            if value != _OLD:
                constant[name] = [_OLD, smart_str(value)]
            continue
        column = f"s.{quote(field.column)}"
        if (field.one_to_one or field.many_to_one) and hasattr(field, "rel_class"):
            # an id, or None: None differs from "None", so it shows (as in _created_diff)
            pairs.append(f"'{name}', jsonb_build_array('None', COALESCE({column}::text, 'None'))")
            continue
        found = None if field.is_relation else _sql_text(field, column)
        if found is None:
            return None
        text, may_be_none = found
        left_out = f"{column} IS NULL" + (f" OR {column} = 'None'" if may_be_none else "")
        pairs.append(
            f"'{name}', CASE WHEN {left_out} THEN NULL ELSE jsonb_build_array('None', {text}) END"
        )
    # jsonb_build_object takes at most 100 arguments: 40 pairs at a time.
    objects = [
        "jsonb_build_object(" + ", ".join(pairs[i : i + 40]) + ")" for i in range(0, len(pairs), 40)
    ] or ["'{}'::jsonb"]
    return f"jsonb_strip_nulls({' || '.join(objects)}) || %(a_constant)s::jsonb", constant


def _build_stored_plan(model, history_model, key: str) -> tuple[str, dict] | None:
    quote = connection.ops.quote_name
    pk, key_field = model._meta.pk, model._meta.get_field(key)
    if pk.get_internal_type() not in _NUMBER_TYPES or not key_field.unique:
        return None
    with connection.cursor() as cursor:  # date::text is ISO only with an ISO DateStyle
        cursor.execute("SHOW DateStyle")
        if not cursor.fetchone()[0].startswith("ISO"):
            return None
    statements, constant, diffs = [], {}, None
    if history_model is not None:
        columns = ", ".join(
            quote(history_model._meta.get_field(name).column) for name in HISTORY_COLUMNS
        )
        statements.append(
            f"INSERT INTO {quote(history_model._meta.db_table)} ({columns}) "
            "SELECT %(h_type)s, s._pk::text, "
            "COALESCE(NULLIF(s._text, ''), %(h_fallback)s || s._pk || ')'), "
            "'wagtail.create', '{}'::jsonb, %(h_now)s, %(h_uuid)s, %(h_user)s, NULL, true, false "
            "FROM batch s ORDER BY s._order"
        )
    if auditlog.contains(model):
        diff = _diff_sql(model)
        if diff is None:
            return None
        diff, constant = diff
        log = get_logentry_model()
        columns = ", ".join(quote(log._meta.get_field(name).column) for name in AUDIT_COLUMNS)
        statements.append(
            f"INSERT INTO {quote(log._meta.db_table)} ({columns}) "
            "SELECT %(a_type)s, d._pk::text, d._pk, d._text, NULL, %(a_action)s, '', d.changes, "
            "%(a_actor)s, %(a_email)s, %(a_cid)s, NULL, NULL, %(a_now)s, NULL "
            "FROM diffs d WHERE d.changes <> '{}'::jsonb ORDER BY d._order"
        )
        # Materialized: each row's diff computed once (the filter would repeat it).
        diffs = (
            f"diffs AS MATERIALIZED (SELECT s._order, s._pk, s._text, {diff} AS changes "
            "FROM batch s)"
        )
    if not statements:
        return None
    # The chunk's rows as stored, in the instances' order, with their str().
    batch = (
        f"batch AS MATERIALIZED (SELECT s.*, s.{quote(pk.column)} AS _pk, t._text, t._order "
        f"FROM unnest(%(keys)s::{key_field.db_type(connection)}[], %(texts)s::text[]) "
        "WITH ORDINALITY AS t(_key, _text, _order) "
        f"JOIN {quote(model._meta.db_table)} s ON s.{quote(key_field.column)} = t._key)"
    )
    *first, last = statements
    ctes = [
        batch,
        *([diffs] if diffs else []),
        *(f"h{i} AS ({sql})" for i, sql in enumerate(first)),
    ]
    return f"WITH {', '.join(ctes)} {last}", constant


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
