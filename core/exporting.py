"""Streaming exports: CSV (constant memory), XLSX (openpyxl write-only), JSON.

An export is a queryset's `values_list().iterator()` and the columns of the kind's Resource
(core.resources), compiled once by `export_columns`: each column's lookup, its header in the
reader's language and its widget's render (a code becomes its label). Rows are written as
they are read, so memory does not grow with the number of rows — django-import-export's own
`export()` builds the whole Dataset in memory first (536 MB for 100k rows in XLSX).
Cells that a spreadsheet would take for a formula (=, +, -, @, tab, CR) are neutralised with
a leading apostrophe.
"""

import csv
import datetime
import decimal
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import FieldDoesNotExist
from django.db import models

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class ExportColumn:
    field: str  # lookup for values_list
    cell: str = field(default="any", kw_only=True)  # what its values are (`_cell_kind`)
    header: Callable[[], str] | str  # lazy translated label
    convert: Callable | None = None  # value → display value (codes → labels)
    code: str = ""  # the column's English code


def export_columns(resource) -> list[ExportColumn]:
    """A Resource's export columns as the streamed writers use them. A widget that renders a
    value as it is (or reads a relation's field through its lookup) costs nothing per row; one
    that renders a few values as words (`labels`: a rating, yes/no) costs a dict lookup."""
    from .widgets import Widget

    model = resource._meta.model
    compiled = []
    for column in resource.export_columns():
        widget = column.widget
        plain = getattr(widget, "lookup", "") or type(widget).render is Widget.render
        words = not plain and widget.labels() is not None
        compiled.append(
            ExportColumn(
                field=column.export_lookup,
                cell="words" if words else _cell_kind(model, column.export_lookup, plain=plain),
                header=column.label,
                convert=None if plain else widget.render,
                code=column.code,
            )
        )
    return compiled


def _converters(columns: list[ExportColumn]) -> list[Callable | None]:
    """Each column's convert as a writer applies it, made when the writer starts (in the
    language active then, as `render` would): a column of words looks its values up in its
    widget's labels, neutralised once here instead of in every row."""
    converters = []
    for column in columns:
        convert = column.convert
        if column.cell == "words":
            labels = convert.__self__.labels()  # the widget whose render `convert` is
            convert = _Labels({value: neutralise(text) for value, text in labels.items()})
            convert = convert.__getitem__
        converters.append(convert)
    return converters


class _Labels(dict):
    """A widget's labels; a value without one is written as it is (None as nothing)."""

    def __missing__(self, value):
        return "" if value is None else neutralise(value)


def _cell_kind(model, lookup: str, *, plain: bool) -> str:
    """What a column's values are, for `csv_chunks`: "text" (neutralised), "datetime",
    "as_is" (dates, numbers, None: the csv module writes them as `_cell` would), or "any"
    (`_cell` on each value). A column of words is "words" (`_converters`)."""
    if not plain:
        return "any"
    model_field = None
    for part in lookup.split("__"):
        try:
            model_field = model._meta.get_field(part)
        except (FieldDoesNotExist, AttributeError):
            return "any"
        model = model_field.related_model
    if model_field is None or model_field.is_relation or model_field.choices:
        return "any"
    if isinstance(model_field, models.DateTimeField):
        return "datetime"
    if isinstance(model_field, (models.CharField, models.TextField)):
        return "text"
    if isinstance(
        model_field,
        (models.DateField, models.IntegerField, models.BooleanField, models.DecimalField),
    ):
        return "as_is"
    return "any"


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


def rows_of(queryset, columns: list[ExportColumn], chunk_size: int = 5000) -> Iterator[tuple]:
    converters = _converters(columns)
    if not any(converters):
        yield from queryset.values_list(*[c.field for c in columns]).iterator(chunk_size=chunk_size)
        return
    for row in queryset.values_list(*[c.field for c in columns]).iterator(chunk_size=chunk_size):
        yield tuple(f(v) if f else v for f, v in zip(converters, row, strict=True))


def csv_chunks(queryset, columns: list[ExportColumn], *, bom: bool = True) -> Iterator[str]:
    """CSV text in chunks of 1000 rows, for StreamingHttpResponse or a file. Each row goes
    through one function compiled for these columns (`_csv_row`): a text cell is neutralised,
    a date-time written in ISO, the rest as the csv module writes it (1M records: ~0.8× a
    plain csv.writer over the same query)."""
    if bom:
        yield "\ufeff"  # so Excel opens UTF-8 correctly
    yield csv.writer(_Echo()).writerow([str(c.header) for c in columns])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    convert = _csv_row(columns)
    rows = queryset.values_list(*[c.field for c in columns]).iterator(chunk_size=5000)
    while chunk := list(islice(rows, 1000)):
        writer.writerows(map(convert, chunk))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _csv_row(columns: list[ExportColumn]) -> Callable[[tuple], list]:
    """One function that turns a row as read into the row as written: a column's convert,
    then what its kind needs: a text cell neutralised, a date-time in ISO, `_cell` for a value
    of any kind; dates, numbers, None and words as they are (the csv module writes them as
    `_cell` would)."""
    steps = []
    texts = []
    for index, (column, convert) in enumerate(zip(columns, _converters(columns), strict=True)):
        if convert is not None:
            steps.append((index, convert))
        if column.cell == "text" and convert is None:
            texts.append(index)
        elif column.cell == "datetime" and convert is None:
            steps.append((index, _datetime_cell))
        elif column.cell not in ("as_is", "words"):
            steps.append((index, _cell))

    def convert(row):
        row = list(row)
        for index in texts:
            value = row[index]
            if value and value.startswith(FORMULA_STARTS):
                row[index] = "'" + value
        for index, step in steps:
            row[index] = step(row[index])
        return row

    return convert


def _datetime_cell(value):
    return "" if value is None else value.isoformat(timespec="seconds")


def json_chunks(queryset, columns: list[ExportColumn]) -> Iterator[str]:
    def default(value):
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return str(value)
        return str(value)

    # The keys are the lookups read ("agency_bin", "servant_iin"), as JSON consumers know them.
    names = [c.field.replace("__", "_") for c in columns]
    yield "["
    first = True
    for row in rows_of(queryset, columns):
        item = json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=default)
        yield item if first else "," + item
        first = False
    yield "]\n"


def write_xlsx(target, queryset, columns: list[ExportColumn], *, title: str = "export") -> None:
    """XLSX in openpyxl's write-only mode: rows go to a temporary file, not memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(c.header) for c in columns])
    for row in rows_of(queryset, columns):
        sheet.append([_xlsx_cell(v) for v in row])
    workbook.save(target)


def _xlsx_cell(value):
    if isinstance(value, datetime.datetime):
        # Spreadsheets have no time zones: write the site's local time.
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return neutralise(value)


def write_csv_file(handle, chunks: Iterable[str]) -> None:
    for chunk in chunks:
        handle.write(chunk)


def neutralise_wagtail_exports() -> None:
    """Wagtail's own spreadsheet exports (`?export=csv|xlsx` on snippet and model listings,
    the reports, form submissions, redirects) write cells as they are: a programme titled
    `=HYPERLINK(…)` became a live formula in the CSV. Every value and heading they write now
    passes through `neutralise`, the rule of our own exports. Called once from core's ready()."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_biliktilik_neutralised", False):
        return
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    heading = SpreadsheetExportMixin.get_heading

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(preprocess(self, field, value, export_format))

    def get_heading(self, queryset, field):
        return neutralise(heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.get_heading = get_heading
    SpreadsheetExportMixin._biliktilik_neutralised = True
