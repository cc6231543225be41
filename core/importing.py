"""What an import reports (core.resources builds it from django-import-export's Result): every
bad row with its line, column and reason, and the new / updated / unchanged rows, so importing
the same file twice reports "unchanged" the second time.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class RowError:
    line: int
    column: str  # the column's English code
    message: str
    label: str = ""  # the column's header in the reader's language (screens show it)

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
