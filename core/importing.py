"""What an import reports (core.resources builds it from django-import-export's Result): every
bad row with its line, column and reason, and the new / updated / unchanged rows, so importing
the same file twice reports "unchanged" the second time.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .tabular import code_cell
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
    """Of the old importers (enrolments, promotions) until they are Resources: then delete it
    with iin_cell (core.resources.RowInvalid is the kinds' own)."""

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
