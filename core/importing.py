"""The import engine shared by every kind (servants, ratings, completions, competitions).

A run reads the whole file, validates every row against cached lookups (no per-row
queries), and then either writes everything in one transaction or nothing at all. The report
lists every bad row with its line, column and reason, and counts new / updated / unchanged
rows, so importing the same file twice reports "unchanged" the second time.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .tabular import Column, ColumnMap, ImportFileError, code_cell, read_table
from .validators import validate_iin


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class PreviewRow:
    """One row of the preview: its line in the file, what the import does with it ("new",
    "updated", "unchanged") and its cleaned values as an export would write them."""

    line: int
    status: str
    values: list[str]


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    dry_run: bool = False
    applied: bool = False
    # The first rows (at most core.resources.PREVIEW_ROWS) under their headers in the reader's
    # language; empty when any row failed.
    preview_headers: list[str] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def summary(self) -> str:
        if self.file_error:
            return _("The file was not imported: %(reason)s") % {"reason": self.file_error}
        if self.errors:
            return _(
                "Nothing was imported: %(bad)s of %(rows)s rows have errors. Fix them and "
                "import the whole file again."
            ) % {"bad": len({e.line for e in self.errors}), "rows": self.rows}
        counts = {"new": self.new, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _(
                    "Check passed (nothing written yet): %(new)s new, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % counts
            )
        return _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.") % counts


class RowInvalid(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = str(message)


def iin_cell(value, *, column: str) -> str:
    """An IIN cell read and checked; a bad one is an error of that row's `column`."""
    iin = code_cell(value)
    try:
        validate_iin(iin)
    except ValidationError as exc:
        raise RowInvalid(column, exc.messages[0]) from None
    return iin


class Importer:
    """Subclasses set `kind` and `columns` and implement `plan` and `apply`."""

    kind = ""
    columns: list[Column] = []
    batch = None  # the ImportBatch written when the rows were applied

    def __init__(self, *, user=None, agency_code: str | None = None):
        self.user = user
        self.agency_code = agency_code
        self.report = ImportReport(kind=self.kind)

    # -- running -------------------------------------------------------------------------

    def run_file(self, data: bytes, filename: str = "", *, dry_run: bool = False) -> ImportReport:
        self.report.dry_run = dry_run
        try:
            table = read_table(data, filename)
            columns = ColumnMap(list(self.columns)).bind(table.headers)
            # Optional columns absent from the file stay absent from the rows: importers then
            # keep what is stored instead of clearing it.
            present = [c.code for c in self.columns if columns.has(c.code)]
            rows = [
                (line, {code: columns.get(cells, code) for code in present})
                for line, cells in table.rows
            ]
        except ImportFileError as exc:
            self.report.file_error = str(exc)
            return self.report
        return self.run_rows(rows, dry_run=dry_run)

    def run_rows(self, rows: Iterable[tuple[int, dict]], *, dry_run: bool = False) -> ImportReport:
        """Validate and (unless dry_run or any error) write. `rows` are (line, {code: value})."""
        rows = list(rows)
        self.report.dry_run = dry_run
        self.report.rows = len(rows)
        if not rows:
            self.report.file_error = _("The file has a header but no rows.")
            return self.report
        self.prepare()
        operations = self.plan(rows)
        if self.report.errors:
            self.report.errors.sort(key=lambda e: (e.line, e.column))
            return self.report
        if not dry_run:
            with transaction.atomic():
                self.apply(operations)
                self.record_batch()
            self.report.applied = True
        return self.report

    def error(self, line: int, column: str, message) -> None:
        self.report.errors.append(RowError(line=line, column=column, message=str(message)))

    def record_batch(self) -> None:
        from .models import ImportBatch

        self.batch = ImportBatch.objects.create(
            kind=self.kind,
            user=self.user if getattr(self.user, "is_authenticated", False) else None,
            agency_code=self.agency_code or "",
            rows=self.report.rows,
            new=self.report.new,
            updated=self.report.updated,
            unchanged=self.report.unchanged,
        )

    # -- to implement --------------------------------------------------------------------

    def prepare(self) -> None:
        """Load what every row is checked against (once, before `plan`)."""

    def plan(self, rows: list[tuple[int, dict]]):
        raise NotImplementedError

    def apply(self, operations) -> None:
        raise NotImplementedError
