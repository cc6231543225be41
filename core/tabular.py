"""Reading HR files: CSV (UTF-8, UTF-8 with BOM, Windows-1251; comma, semicolon or tab) and
XLSX. Whole-file problems raise ImportFileError with a message for a person, never a traceback.
"""

import csv
import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, format, size, missing columns…)."""


@dataclass
class Table:
    headers: list[str]  # as written in the file
    rows: Iterator[tuple[int, list]]  # (line number in the file, cells)
    format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""


def normalise_header(text) -> str:
    # "last_name", "Last name" and "LAST  NAME" are the same column.
    text = str(text or "").replace("\ufeff", "").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def read_table(data: bytes, filename: str = "") -> Table:
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        # Round the size up and the limit down, so the message never reads as if the file fit.
        size_mb = math.ceil(len(data) * 10 / 2**20) / 10
        limit_mb = math.floor(limit * 10 / 2**20) / 10
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size_mb:g}", "limit": f"{limit_mb:g}"}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    return _read_csv(data)


def _decode(data: bytes) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportFileError(
            _("The file is in UTF-16. Save it as CSV in UTF-8 or Windows-1251, or as XLSX.")
        )
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _("This is not a text file (it contains binary data). Upload CSV or XLSX.")
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="replace")
    # Windows-1251 maps almost every byte to a letter; lots of control characters or the
    # replacement character mean the bytes were something else.
    suspicious = sum(
        1 for ch in text[:20000] if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\r\n\t")
    )
    if suspicious > max(3, len(text[:20000]) // 200):
        raise ImportFileError(
            _("The file's encoding is not UTF-8 or Windows-1251, or the file is not a CSV.")
        )
    return text, "cp1251"


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFileError(_("The first line must hold the column names.")) from exc

    def rows():
        try:
            for line_number, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells):
                    yield line_number, cells
        except csv.Error as exc:
            raise ImportFileError(
                _("Line %(line)s is not valid CSV: %(error)s")
                % {"line": reader.line_num, "error": exc}
            ) from exc

    return Table(headers=headers, rows=rows(), format="csv", encoding=encoding, delimiter=delimiter)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        headers = [("" if v is None else str(v)) for v in next(iterator)]
    except StopIteration:
        raise ImportFileError(_("The spreadsheet is empty.")) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, EOFError) as exc:
        raise ImportFileError(
            _("This is not a readable XLSX file (it may be damaged or truncated).")
        ) from exc

    def rows():
        try:
            for line_number, values in enumerate(iterator, start=2):
                cells = ["" if v is None else v for v in values]
                if any(str(c).strip() for c in cells):
                    yield line_number, cells
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
            raise ImportFileError(
                _("This is not a readable XLSX file (it may be damaged or truncated).")
            ) from exc
        finally:
            workbook.close()

    return Table(headers=headers, rows=rows(), format="xlsx")


@dataclass
class Column:
    code: str
    labels: tuple[str, ...]  # Russian and Kazakh labels
    required: bool = True


@dataclass
class ColumnMap:
    columns: list[Column]
    index: dict[str, int] = field(default_factory=dict)

    def bind(self, headers: list[str]) -> "ColumnMap":
        """Find each column in the file's header row (English code or label, any case)."""
        positions = {normalise_header(h): i for i, h in enumerate(headers)}
        missing = []
        for column in self.columns:
            names = [column.code, *column.labels]
            found = next(
                (positions[n] for n in map(normalise_header, names) if n in positions), None
            )
            if found is None:
                if column.required:
                    missing.append(f"{column.code} / {column.labels[0]}")
                continue
            self.index[column.code] = found
        if missing:
            raise ImportFileError(
                _("Required columns are missing: %(columns)s.") % {"columns": "; ".join(missing)}
            )
        return self

    def has(self, code: str) -> bool:
        return code in self.index

    def get(self, cells: list, code: str):
        position = self.index.get(code)
        if position is None or position >= len(cells):
            return ""
        value = cells[position]
        return value.strip() if isinstance(value, str) else value


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_date(value) -> datetime.date:
    """YYYY-MM-DD or DD.MM.YYYY (or a spreadsheet date). A regex instead of strptime: this
    runs once per row of 100k-row files."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        if match := _ISO_DATE.match(text):
            year, month, day = map(int, match.groups())
            return datetime.date(year, month, day)
        if match := _DOTTED_DATE.match(text):
            day, month, year = map(int, match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(_("%(value)r is not a date (use YYYY-MM-DD or DD.MM.YYYY).") % {"value": text})


def parse_int(value, *, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(_("%(value)r is not a whole number.") % {"value": value}) from None
    if not low <= number <= high:
        raise ValueError(
            _("%(value)s is outside %(low)s–%(high)s.")
            % {"value": number, "low": low, "high": high}
        )
    return number


def text_cell(value) -> str:
    """A cell as text; XLSX numbers like 791028302728.0 become '791028302728'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def code_cell(value, width: int = 12) -> str:
    """An IIN/BIN cell. Spreadsheets store 000721666537 as the number 721666537: a number
    gets its leading zeros back; text is taken as written."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**width:
        return f"{value:0{width}d}"
    return str(value).strip()
