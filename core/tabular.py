"""Reading HR files: CSV (UTF-8, UTF-8 with BOM, Windows-1251; comma, semicolon or tab) and
XLSX. Whole-file problems raise ImportFileError with a message for a person, never a traceback.

Limits (settings, docs/security.md): the upload size (IMPORT_MAX_BYTES); for XLSX the unpacked
size and compression ratio of the zip's parts, read from the zip's directory before anything
is inflated (IMPORT_MAX_UNCOMPRESSED_BYTES, IMPORT_MAX_COMPRESSION_RATIO); rows, columns, cells
and characters per cell (IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS,
IMPORT_MAX_CELL_CHARS), counted while the file streams, so a bomb stops at the first row over
a limit instead of after it has filled the memory. An XLSX's XML is first scanned with expat
(constant memory, no DOCTYPE allowed), because openpyxl builds a whole row, and the whole
shared-string table, before anyone can count them.
"""

import csv
import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cells: int
    cell_chars: int
    uncompressed_bytes: int
    compression_ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cells=settings.IMPORT_MAX_CELLS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
        )


def _mb(size: int, *, up: bool) -> str:
    # Round the size up and the limit down, so the message never reads as if the file fit.
    rounded = (math.ceil if up else math.floor)(size * 10 / 2**20) / 10
    return f"{rounded:g}"


def _too_many_rows(limits: Limits) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows. Split it into smaller files.")
        % {"limit": limits.rows}
    )


def _too_many_columns(line, limits: Limits) -> ImportFileError:
    return ImportFileError(
        _("Line %(line)s has more than %(limit)s columns.")
        % {"line": line, "limit": limits.columns}
    )


def _too_many_cells(limits: Limits) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s cells. Split it into smaller files.")
        % {"limit": limits.cells}
    )


def _cell_too_long(line, limits: Limits) -> ImportFileError:
    return ImportFileError(
        _("Line %(line)s has a cell longer than %(limit)s characters.")
        % {"line": line, "limit": limits.cell_chars}
    )


class _Counter:
    """Rows, columns, cells and cell lengths of a table as it streams."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.cells = 0

    def check(self, line: int, cells) -> None:
        limits = self.limits
        if line > limits.rows + 1:  # line 1 is the header
            raise _too_many_rows(limits)
        width = len(cells)
        while width and cells[width - 1] in (None, ""):
            width -= 1  # trailing empty cells (a formatted but empty column) do not count
        if width > limits.columns:
            raise _too_many_columns(line, limits)
        self.cells += width
        if self.cells > limits.cells:
            raise _too_many_cells(limits)
        for cell in cells:
            if isinstance(cell, str) and len(cell) > limits.cell_chars:
                raise _cell_too_long(line, limits)


def read_table(data: bytes, filename: str = "") -> Table:
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _mb(len(data), up=True), "limit": _mb(limit, up=False)}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    limits = Limits.from_settings()
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, limits)
    return _read_csv(data, limits)


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


def _read_csv(data: bytes, limits: Limits) -> Table:
    text, encoding = _decode(data)
    first_line = text.split("\n", 1)[0]
    del text  # the rows are decoded again as they stream: a StringIO would copy the text
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    stream = io.TextIOWrapper(
        io.BytesIO(data),
        encoding=encoding,
        errors="replace" if encoding == "cp1251" else "strict",
        newline="",
    )
    reader = csv.reader(stream, delimiter=delimiter)
    counter = _Counter(limits)
    try:
        headers = next(reader)
    except StopIteration as exc:
        raise ImportFileError(_("The first line must hold the column names.")) from exc
    except csv.Error as exc:
        if _FIELD_TOO_LARGE in str(exc):
            raise _cell_too_long(1, limits) from None
        raise ImportFileError(_("The first line must hold the column names.")) from exc
    counter.check(1, headers)

    def rows():
        try:
            for line_number, cells in enumerate(reader, start=2):
                counter.check(line_number, cells)
                if any(cell.strip() for cell in cells):
                    yield line_number, cells
        except csv.Error as exc:
            if _FIELD_TOO_LARGE in str(exc):
                # The csv module's own cap (131,072 characters) met before ours.
                raise _cell_too_long(reader.line_num, limits) from None
            raise ImportFileError(
                _("Line %(line)s is not valid CSV: %(error)s")
                % {"line": reader.line_num, "error": exc}
            ) from exc

    return Table(headers=headers, rows=rows(), format="csv", encoding=encoding, delimiter=delimiter)


_FIELD_TOO_LARGE = "field larger than field limit"
# An XLSX has a dozen parts; thousands mean something else (each costs memory to list).
XLSX_MAX_PARTS = 1000
# Small parts may compress well without harm; the ratio is checked above this size.
RATIO_CHECKED_ABOVE = 2**20


def _unreadable_xlsx() -> ImportFileError:
    return ImportFileError(_("This is not a readable XLSX file (it may be damaged or truncated)."))


def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip bomb from the zip's directory alone: nothing is inflated here. Python's
    zipfile stops inflating a part at its declared size (and then fails its CRC check), so a
    part that lies about its size cannot inflate past it either."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable_xlsx() from exc
    if len(parts) > XLSX_MAX_PARTS:
        raise _unreadable_xlsx()
    total = sum(part.file_size for part in parts)
    if total > limits.uncompressed_bytes:
        raise ImportFileError(
            _("Unpacked, the spreadsheet would take %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _mb(total, up=True), "limit": _mb(limits.uncompressed_bytes, up=False)}
        )
    for part in parts:
        if part.file_size > RATIO_CHECKED_ABOVE and part.file_size > limits.compression_ratio * max(
            part.compress_size, 1
        ):
            raise ImportFileError(
                _(
                    "The spreadsheet is compressed %(ratio)s to 1, which real spreadsheets "
                    "never are (the limit is %(limit)s to 1); it was not opened."
                )
                % {
                    "ratio": part.file_size // max(part.compress_size, 1),
                    "limit": limits.compression_ratio,
                }
            )


# Elements inside a cell or a shared string (value, inline or rich text and its formatting):
# their text adds up; any other element starts a new count.
_INSIDE_A_CELL = frozenset(
    (
        "v",
        "f",
        "is",
        "t",
        "r",
        "rPr",
        "rph",
        "phoneticPr",
        "b",
        "i",
        "u",
        "strike",
        "sz",
        "color",
        "rFont",
        "family",
        "scheme",
        "charset",
        "outline",
        "shadow",
        "condense",
        "extend",
        "vertAlign",
    )
)


class _XmlScan:
    """Counts rows, cells and characters in an XLSX's XML with expat, in constant memory."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.elements = 0
        # c, v/is/t per cell, row: a budget far above any real table, so the scan stays short.
        self.element_budget = 4 * limits.cells + 2 * limits.rows + 100_000
        self.cells = 0
        self.strings = 0

    def scan(self, handle, head: bytes = b"") -> None:
        import xml.parsers.expat

        self.rows = 0
        self.row = 0
        self.width = 0
        self.chars = 0
        self.in_cell = False
        parser = xml.parsers.expat.ParserCreate()
        parser.StartElementHandler = self.start
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self.doctype  # no entity expansion, ever
        parser.EntityDeclHandler = self.doctype
        try:
            parser.Parse(head, False)
            while chunk := handle.read(2**16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except xml.parsers.expat.ExpatError as exc:
            raise _unreadable_xlsx() from exc

    def doctype(self, *args):
        raise _unreadable_xlsx()

    def start(self, name: str, attrs: dict) -> None:
        limits = self.limits
        self.elements += 1
        if self.elements > self.element_budget:
            raise _too_many_cells(limits)
        local = name.rpartition(":")[2]
        if local not in _INSIDE_A_CELL:
            # Text is counted per cell or shared string, rich-text runs included; text
            # elsewhere (document properties) is not a cell.
            self.chars = 0
            self.in_cell = local in ("c", "si")
        if local == "row":
            self.rows += 1
            reference = attrs.get("r")
            self.row = int(reference) if reference and reference.isdigit() else self.row + 1
            if self.rows > limits.rows + 1 or self.row > limits.rows + 1:
                raise _too_many_rows(limits)
            self.width = 0
        elif local == "c":
            self.width += 1
            reference = attrs.get("r", "")
            letters = reference.rstrip("0123456789")
            if letters:
                self.width = max(self.width, _column_number(letters))
            if self.width > limits.columns:
                raise _too_many_columns(self.row, limits)
            self.cells += 1
            if self.cells > limits.cells:
                raise _too_many_cells(limits)
        elif local == "si":
            self.strings += 1
            if self.strings > limits.cells:
                raise _too_many_cells(limits)

    def text(self, data: str) -> None:
        if not self.in_cell:
            return
        self.chars += len(data)
        if self.chars > self.limits.cell_chars:
            raise _cell_too_long(self.row or 1, self.limits)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper()[:4]:
        number = number * 26 + (ord(letter) - 64)
    return number


def _read_xlsx(data: bytes, limits: Limits) -> Table:
    from openpyxl import load_workbook

    _check_zip(data, limits)
    scan = _XmlScan(limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in archive.infolist():
                # Every part that is XML, whatever its name: openpyxl follows the workbook's
                # relations, which may name any part. Images and other binaries are skipped.
                with archive.open(part) as handle:
                    head = handle.read(64)
                    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                        scan.scan(handle, head)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable_xlsx() from exc

    counter = _Counter(limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The declared dimension (`A1:XFD1048576` costs nothing to write) would pad every row
        # to its width; without it a row is as wide as its own cells.
        sheet.reset_dimensions()
        iterator = sheet.iter_rows(values_only=True)
        first = next(iterator)
        counter.check(1, first)
        headers = [("" if v is None else str(v)) for v in first]
    except StopIteration:
        raise ImportFileError(_("The spreadsheet is empty.")) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, EOFError) as exc:
        raise _unreadable_xlsx() from exc

    def rows():
        try:
            for line_number, values in enumerate(iterator, start=2):
                counter.check(line_number, values)
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
