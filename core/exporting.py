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
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class ExportColumn:
    field: str  # lookup for values_list
    header: Callable[[], str] | str  # lazy translated label
    convert: Callable | None = None  # value → display value (codes → labels)
    code: str = ""  # the column's English code


def export_columns(resource) -> list[ExportColumn]:
    """A Resource's export columns as the streamed writers use them. A widget that renders a
    value as it is (or reads a relation's field through its lookup) costs nothing per row."""
    from .widgets import Widget

    compiled = []
    for column in resource.export_columns():
        widget = column.widget
        plain = getattr(widget, "lookup", "") or type(widget).render is Widget.render
        compiled.append(
            ExportColumn(
                field=column.export_lookup,
                header=column.label,
                convert=None if plain else widget.render,
                code=column.code,
            )
        )
    return compiled


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
    converters = [c.convert for c in columns]
    if not any(converters):
        yield from queryset.values_list(*[c.field for c in columns]).iterator(chunk_size=chunk_size)
        return
    for row in queryset.values_list(*[c.field for c in columns]).iterator(chunk_size=chunk_size):
        yield tuple(f(v) if f else v for f, v in zip(converters, row, strict=True))


def csv_chunks(queryset, columns: list[ExportColumn], *, bom: bool = True) -> Iterator[str]:
    """CSV text in chunks of ~1000 rows, for StreamingHttpResponse or a file."""
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"  # so Excel opens UTF-8 correctly
    yield writer.writerow([str(c.header) for c in columns])
    buffer = []
    for row in rows_of(queryset, columns):
        buffer.append(writer.writerow([_cell(v) for v in row]))
        if len(buffer) >= 1000:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


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
