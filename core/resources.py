"""Import and export kinds on django-import-export.

Each kind (servants, ratings, completions, competitions, records…) is one `KindResource`: a
django-import-export `ModelResource` whose `Column`s are the single declaration of the kind's
columns — the English code (the column name), the label (an export's header, in the reader's
language), the other headers a file may use, and the widget that cleans a cell and renders a
value. docs/imports.md shows how to add a column or a kind.

Every import runs through the library's `import_data` (a dry run first on the screens), and its
`Result` becomes the `ImportReport` that the preview screen, `import_records` and the API show.
What the library lacks stays here, small:
- reading the file (core.tabular: encoding and delimiter detection, UTF-16 refused, size,
  row and cell limits) into a `tablib.Dataset` whose headers are the columns' codes, with the
  line of each row in the file in a hidden column;
- all or nothing: rows are collected with the library's `use_bulk` and written by the kind's
  `write` (a service of the kind's app, the same trail as the admin) only when no row failed;
- unchanged rows: the instance loader remembers each loaded row's stored values, and a row
  whose values equal them is skipped (counted as unchanged), so a second import changes
  nothing.
"""

from collections.abc import Iterable

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import F, Lookup, Q, signals
from django.db.models.base import ModelState
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result, RowResult
from import_export.widgets import ManyToManyWidget

from .importing import ImportReport, PreviewRow, RowError
from .tabular import ImportFileError, normalise_header, read_table
from .widgets import Widget

LINE = "__line__"  # the hidden column holding each row's line number in the file
PREVIEW_ROWS = 100  # the rows an ImportReport shows one by one (the rest are only counted)
_STATUS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
}
SHARED_VALUES = 10_000  # distinct values a column of a file keeps one copy of (dataset_from_file)


class Column(fields.Field):
    """One column of a kind. `code` is its English name in files (and the field's
    column_name), `label` the header an export writes in the reader's language; a file may
    use the code, the label in any language, or one of `aliases`, in any case. `required`
    columns must be in the file; an optional column absent from the file leaves the stored
    value as it is. A `readonly` column is not set on the instance by the library: the kind
    reads it in `clean_row` (through the same widget) or only exports it."""

    def __init__(
        self,
        attribute=None,
        *,
        code: str,
        label,
        aliases: Iterable[str] = (),
        widget=None,
        required: bool = True,
        readonly: bool = False,
        export: bool = True,
        imported: bool = True,
    ):
        super().__init__(
            attribute=attribute, column_name=code, widget=widget or Widget(), readonly=readonly
        )
        # `save` sets the attribute itself unless it belongs to a relation ("position__title")
        self._own_attribute = bool(attribute) and "__" not in attribute
        self._relation_of = (None, None)  # (model, its forward relation field or None)
        self.code = code
        self.label = label
        self.aliases = tuple(aliases)
        self.required = required
        self.export = export
        self.imported = imported

    def clean(self, row, **kwargs):
        """The cell cleaned by the widget (the library's Field.clean without its default
        handling, which no Column uses: this runs once per cell of a 100k-row file)."""
        try:
            value = row[self.column_name]
        except KeyError:
            raise KeyError(
                f"Column {self.column_name!r} not found in dataset. Available columns are: "
                f"{list(row)}"
            ) from None
        try:
            return self.widget.clean(value, row=row, **kwargs)
        except ValueError:
            # A blank cell of a column that must be filled says so, instead of what the
            # widget says of the empty text ("'' is not a date"), unless the widget words
            # an empty cell itself (Widget.blank_is_missing).
            if self.required and _blank(value) and self.widget.blank_is_missing:
                raise ValueError(_("this field is required")) from None
            raise

    def save(self, instance, row, is_m2m=False, **kwargs):
        """Sets the cleaned cell on the instance (the library's Field.save, with the
        attribute's path split once instead of once per cell)."""
        if self.readonly:
            return
        if is_m2m or not self._own_attribute:
            super().save(instance, row, is_m2m, **kwargs)
            return
        value = self.clean(row, **kwargs)
        relation = self._relation(instance)
        if relation is not None and isinstance(value, relation.related_model):
            # A state body or a programme the widget found: its id and the cached object,
            # as the relation's descriptor sets them, without its per-call checks.
            instance.__dict__[relation.attname] = value.pk
            relation.set_cached_value(instance, value)
            return
        setattr(instance, self.attribute, value)

    def _relation(self, instance):
        """The forward many-to-one field this column sets, if it sets one (found once)."""
        model = type(instance)
        if self._relation_of[0] is not model:
            try:
                field = model._meta.get_field(self.attribute)
            except FieldDoesNotExist:
                field = None
            if field is None or not (field.many_to_one and field.concrete):
                field = None
            self._relation_of = (model, field)
        return self._relation_of[1]

    def header_names(self) -> set[str]:
        names = {self.code, *self.aliases}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.add(str(self.label))
        return {normalise_header(name) for name in names}

    @property
    def export_lookup(self) -> str:
        """What an export reads with `values_list` for this column."""
        lookup = getattr(self.widget, "lookup", "")
        return f"{self.attribute}__{lookup}" if lookup else self.attribute

    def header(self) -> str:
        return str(self.label)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class RowInvalid(Exception):
    """A row's problem found by `clean_row`, against one column."""

    def __init__(self, column: str, message):
        super().__init__(str(message))
        self.column = column
        self.message = str(message)


class _AnyOf(Lookup):
    """`field = ANY(%s)` with the keys as one array parameter (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))


def stored_values(queryset, field: str, keys: Iterable, *fields: str) -> list[tuple]:
    """`values_list(*fields)` of the rows of `queryset` whose `field` is one of `keys`, for a
    kind's `preload`: on PostgreSQL one query with the keys as one array (100k IINs: 0.3 s
    instead of 1.3 s with 100k placeholders), elsewhere `__in` in chunks."""
    keys = list(keys)
    postgresql = connections[queryset.db].vendor == "postgresql"
    found = []
    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        lookup = _AnyOf(F(field), chunk) if postgresql else Q(**{f"{field}__in": chunk})
        found.extend(queryset.filter(lookup).values_list(*fields))
    return found


class PreloadedLoader(BaseInstanceLoader):
    """Loads every stored row the file may touch in one pass (the resource's `preload`), so no
    row costs a query; instances are built only for the rows that match."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.stored = resource.preload(dataset)

    def get_instance(self, row):
        key = self.resource.row_key(row)
        if key is None:
            return None
        values = self.stored.get(key)
        if values is None:
            return None
        return self.resource.instance_from_stored(values)


class KindResource(resources.ModelResource):
    """The base of every import/export kind. A kind sets `kind`, its `Column`s and Meta
    (model, fields), and implements:
    - `preload(dataset)` → {key: stored values} and `row_key(row)` → key (or None when the
      key's cells are not valid: the columns then report why);
    - `instance_from_stored(values)` → an instance whose `_stored` holds the values compared
      by `unchanged`;
    - `clean_row(instance, row)`: what a column alone cannot check (duplicates in the file,
      scope, relations), raising RowInvalid;
    - `write(creates, updates)`: the writes, through the app's services."""

    kind = ""

    class Meta:
        use_bulk = True
        batch_size = None  # hold every row until the end: a file with a bad row writes nothing
        skip_diff = True
        report_skipped = False
        clean_model_instances = False
        use_transactions = True
        instance_loader_class = PreloadedLoader

    def __init__(self, *, user=None, agency_code: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.agency_code = agency_code
        self.batch = None
        self._import_fields = None
        self._preview = []
        self._preview_columns = None
        self._blank = None  # init_instance's defaults, found once
        self._column_of = {}
        for field in self.fields.values():
            self._column_of[field.column_name] = field.column_name
            if field.attribute:
                self._column_of.setdefault(field.attribute, field.column_name)

    # -- the columns ---------------------------------------------------------------------

    def columns(self) -> list[Column]:
        """The columns in the order of Meta.fields (the order of exports and messages)."""
        order = {name: i for i, name in enumerate(self._meta.fields or ())}
        named = sorted(self.fields.items(), key=lambda item: order.get(item[0], len(order)))
        return [field for _name, field in named if isinstance(field, Column)]

    def export_columns(self) -> list[Column]:
        return [c for c in self.columns() if c.export]

    def cell(self, row, code: str):
        """A cell cleaned by its column's widget; a bad one is that column's error."""
        try:
            return self.fields[code].clean(row)
        except ValueError as exc:
            raise RowInvalid(code, exc) from None

    # -- reading a file ------------------------------------------------------------------

    def dataset_from_file(self, data: bytes, filename: str = "") -> tablib.Dataset:
        """The file as a Dataset whose headers are the columns' codes (a file may name them
        in any language) and the hidden line column. Raises ImportFileError."""
        table = read_table(data, filename)
        positions = {normalise_header(h): i for i, h in enumerate(table.headers)}
        present, missing = [], []
        for column in self.columns():
            if not column.imported:
                continue
            found = next((positions[n] for n in column.header_names() if n in positions), None)
            if found is not None:
                present.append((column.code, found))
            elif column.required:
                missing.append(f"{column.code} / {(column.aliases or [column.header()])[0]}")
        if missing:
            raise ImportFileError(
                _("Required columns are missing: %(columns)s.") % {"columns": "; ".join(missing)}
            )
        codes = [code for code, _position in present]
        dataset = tablib.Dataset(headers=[*codes, LINE])
        rows = dataset._data
        # Columns repeat their values (names, state bodies, positions, dates): each column
        # keeps one copy of a value until it has seen SHARED_VALUES different ones (then it
        # is a column of unique values, such as IINs). 100k servants: ~50 MB less.
        shared = [(position, {}) for _code, position in present]
        new_row = tablib.core.Row.__new__
        size = len(shared) + 1
        for line, cells in table.rows:
            width = len(cells)
            values = [line] * size  # sized once: the cells, then the line
            for column, (index, seen) in enumerate(shared):
                value = cells[index] if index < width else ""
                if isinstance(value, str):
                    value = value.strip()
                    if seen is not None:
                        value = seen.setdefault(value, value)
                        if len(seen) > SHARED_VALUES:
                            shared[column] = (index, None)
                values[column] = value
            row = new_row(tablib.core.Row)  # the Row without copying `values` again
            row._row, row.tags = values, ()
            rows.append(row)
        return dataset

    def dataset_from_rows(self, rows: Iterable[tuple[int, dict]]) -> tablib.Dataset:
        """Rows as the API gives them: (line, {code: value}); codes not of this kind are
        ignored, absent optional ones stay absent."""
        rows = list(rows)
        known = [c.code for c in self.columns() if c.imported]
        present = [code for code in known if any(code in values for _line, values in rows)]
        dataset = tablib.Dataset(headers=[*present, LINE])
        for line, values in rows:
            dataset.append([values.get(code, "") for code in present] + [line])
        return dataset

    # -- running -------------------------------------------------------------------------

    def run_file(self, data: bytes, filename: str = "", *, dry_run: bool = False) -> ImportReport:
        try:
            dataset = self.dataset_from_file(data, filename)
        except ImportFileError as exc:
            return ImportReport(kind=self.kind, dry_run=dry_run, file_error=str(exc))
        return self.run_dataset(dataset, dry_run=dry_run)

    def run_rows(self, rows, *, dry_run: bool = False) -> ImportReport:
        return self.run_dataset(self.dataset_from_rows(rows), dry_run=dry_run)

    def check_allowed(self) -> None:
        """Hook for the permission check before any row is read."""

    def run_dataset(self, dataset: tablib.Dataset, *, dry_run: bool = False) -> ImportReport:
        self.check_allowed()
        report = ImportReport(kind=self.kind, dry_run=dry_run, rows=len(dataset))
        if not len(dataset):
            report.file_error = _("The file has a header but no rows.")
            return report
        self._lines = dataset.get_col(len(dataset.headers) - 1)
        result = self.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        return self.report_of(result, report)

    def report_of(self, result, report: ImportReport) -> ImportReport:
        totals = result.totals
        report.new = totals[RowResult.IMPORT_TYPE_NEW]
        report.updated = totals[RowResult.IMPORT_TYPE_UPDATE]
        report.unchanged = totals[RowResult.IMPORT_TYPE_SKIP]
        order = {c.code: i for i, c in enumerate(self.columns())}
        labels = {c.code: c.header() for c in self.columns()}
        errors = []
        for invalid in result.invalid_rows:
            line = self._lines[invalid.number - 1]
            for key, messages in invalid.error_dict.items():
                column = "" if key == NON_FIELD_ERRORS else self._column_of.get(key, key)
                errors.extend(
                    RowError(line=line, column=column, message=m, label=labels.get(column, ""))
                    for m in messages
                )
        for failed in result.error_rows:
            line = self._lines[failed.number - 1]
            for error in failed.errors:
                errors.append(RowError(line=line, column="", message=self.unexpected(error)))
        for error in result.base_errors:
            report.file_error = self.unexpected(error)
        errors.sort(key=lambda e: (e.line, order.get(e.column, len(order))))
        report.errors = errors
        report.applied = not report.dry_run and report.ok
        if not report.ok:
            report.new = report.updated = report.unchanged = 0
        elif self._preview_columns:
            report.preview_headers = [column.header() for column in self._preview_columns]
            report.preview = self._preview
        return report

    def unexpected(self, error) -> str:
        import logging

        logging.getLogger(__name__).error("import of %s failed", self.kind, exc_info=error.error)
        if isinstance(error.error, ImportFileError):
            return str(error.error)
        return _("The row could not be read because of an error on our side; nothing was written.")

    # -- the library's hooks -------------------------------------------------------------

    def get_import_fields(self):
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def before_import(self, dataset, **kwargs):
        """The fields that set something on each row's instance: the import fields whose
        column this file has and that are not read-only (the library would ask every field
        of every row)."""
        headers = set(dataset.headers or ())
        self._row_fields = [
            field
            for field in self.get_import_fields()
            if field.attribute
            and not field.readonly
            and field.column_name in headers
            and not isinstance(field.widget, ManyToManyWidget)
        ]

    def get_instance(self, instance_loader, row):
        return instance_loader.get_instance(row)

    def init_instance(self, row=None):
        """A new instance as `Model()` makes it, each field at its default, without redoing
        `Model.__init__`'s work per field for every row (100k rows: 1.2 s → 0.2 s): the
        defaults that are values are copied from one instance made once, the callable ones
        (a pseudonym) called for each. A model with pre_init or post_init receivers gets
        `Model()`."""
        model = self._meta.model
        if self._blank is None:
            self._blank = _blank_instance(model)
        if not self._blank:
            return model()
        values, computed = self._blank
        instance = model.__new__(model)
        instance._state = ModelState()
        attributes = instance.__dict__
        attributes.update(values)
        for name, default in computed:
            attributes[name] = default()
        return instance

    def import_instance(self, instance, row, **kwargs):
        """The library's import_instance (each field's `save`: its widget cleans the cell;
        a ValueError is that column's error), over `_row_fields` only; then `clean_row`."""
        errors = {}
        for field in self._row_fields:
            try:
                field.save(instance, row)  # the kwargs (dry_run, row_number…): no widget reads them
            except ValueError as exc:
                errors[field.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)
        try:
            self.clean_row(instance, row)
        except RowInvalid as invalid:
            raise ValidationError({invalid.column: invalid.message}) from None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        return self.unchanged(instance)

    def unchanged(self, instance) -> bool:
        stored = getattr(instance, "_stored", None)
        return stored is not None and stored == self.current_values(instance)

    def current_values(self, instance):
        raise NotImplementedError

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """A dry run writes nothing, so it holds no instance until the end (100k servants:
        ~60 MB); a real run collects them for `write` (the library's use_bulk)."""
        if self._is_dry_run(kwargs):
            self.before_save_instance(instance, row, **kwargs)
            self.after_save_instance(instance, row, **kwargs)
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Called once at the end (batch_size None) with every row: write them all, or none
        when any row failed or this is a dry run."""
        creates, updates = list(self.create_instances), list(self.update_instances)
        self.create_instances.clear()
        self.update_instances.clear()
        if dry_run or result is None or result.has_errors() or result.has_validation_errors():
            return
        self.write(creates, updates)
        self.record_batch(result)

    def bulk_update(self, *args, **kwargs):
        """Done by `bulk_create` with the creates, in one `write`."""

    def bulk_delete(self, *args, **kwargs):
        """Imports never delete."""

    def after_import(self, dataset, result, **kwargs):
        """No sequence reset (the library's default): imports never set primary keys."""

    def after_import_row(self, row, row_result, **kwargs):
        """Keeps the first PREVIEW_ROWS rows for the preview: their status and their cells
        cleaned by the columns' widgets and rendered as an export would write them."""
        if len(self._preview) >= PREVIEW_ROWS:
            return
        status = _STATUS.get(row_result.import_type)
        if status is None:
            return
        if self._preview_columns is None:
            self._preview_columns = [c for c in self.columns() if c.imported and c.code in row]
        values = []
        for column in self._preview_columns:
            try:
                value = column.widget.render(column.clean(row))
            except (ValueError, KeyError):
                value = row.get(column.code, "")
            values.append("" if value is None else str(value))
        self._preview.append(PreviewRow(line=row[LINE], status=status, values=values))

    def get_row_result_class(self):
        return _RowResult

    def get_result_class(self):
        return _Result

    # -- writing -------------------------------------------------------------------------

    def write(self, creates: list, updates: list) -> None:
        raise NotImplementedError

    def record_batch(self, result) -> None:
        from .models import ImportBatch

        totals = result.totals
        self.batch = ImportBatch.objects.create(
            kind=self.kind,
            user=self.user if getattr(self.user, "is_authenticated", False) else None,
            agency_code=self.agency_code or "",
            rows=result.total_rows,
            new=totals[RowResult.IMPORT_TYPE_NEW],
            updated=totals[RowResult.IMPORT_TYPE_UPDATE],
            unchanged=totals[RowResult.IMPORT_TYPE_SKIP],
        )
        self.after_batch()

    def after_batch(self) -> None:
        """Hook: what a kind records once its batch exists (e.g. per-row audit entries)."""


def _blank_instance(model) -> tuple[dict, list] | None:
    """What `KindResource.init_instance` copies: the attributes of `model()` whose defaults
    are values, and (attribute, callable) for the others; None when `model()` must run."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return None
    computed = [
        (field.attname, field.get_default)
        for field in model._meta.concrete_fields
        if field.has_default() and callable(field.default)
    ]
    skipped = {"_state", *(name for name, _default in computed)}
    values = {name: value for name, value in vars(model()).items() if name not in skipped}
    return values, computed


class _Result(Result):
    """Counts every row but keeps only the results of rows that failed: a 100k-row import
    need not hold 100k row results (the preview keeps its own first rows)."""

    def append_row_result(self, row_result):
        if row_result.errors or row_result.validation_error is not None:
            super().append_row_result(row_result)


class _RowResult(RowResult):
    """A row's result keeps the instance's id, not its text (str() of 100k people costs time
    and memory the preview does not need)."""

    def add_instance_info(self, instance):
        if instance is not None:
            self.object_id = getattr(instance, "pk", None)
