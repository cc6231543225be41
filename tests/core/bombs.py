"""Hostile spreadsheets for the import limits (issue 12, item 4), built in the tests."""

import zipfile
from collections.abc import Iterable
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"
HEADER_ROW = (
    '<row><c t="inlineStr"><is><t>iin</t></is></c><c t="inlineStr"><is><t>year</t></is></c>'
    '<c t="inlineStr"><is><t>quarter</t></is></c><c t="inlineStr"><is><t>rating</t></is></c>'
    "</row>"
)


def write_xlsx(path: Path, sheet_chunks: Iterable[str]) -> Path:
    """An XLSX whose first sheet is the concatenated chunks, deflated as it is written."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk.encode())
    return path


def inflating_bomb(path: Path, unpacked_bytes: int = 1100 * 2**20) -> Path:
    """~1-2 MB that inflates to more than 1 GB: rows of the same long text, over and over."""
    row = '<row><c t="inlineStr"><is><t>' + "A" * 4000 + "</t></is></c></row>"
    block = row * 256

    def chunks():
        yield SHEET_START + HEADER_ROW
        written = 0
        while written < unpacked_bytes:
            yield block
            written += len(block)
        yield SHEET_END

    return write_xlsx(path, chunks())


def many_rows(path: Path, rows: int = 3_000_000) -> Path:
    """3 million tiny rows in about a megabyte."""
    block = "<row><c><v>1</v></c></row>" * 10_000

    def chunks():
        yield SHEET_START + HEADER_ROW
        for _ in range(rows // 10_000):
            yield block
        yield SHEET_END

    return write_xlsx(path, chunks())


def wide_xlsx(path: Path, columns: int = 1_000_000) -> Path:
    """One row of a million empty cells: openpyxl would build the whole row first."""

    def chunks():
        yield SHEET_START + HEADER_ROW + "<row>"
        for _ in range(columns // 10_000):
            yield "<c/>" * 10_000
        yield "</row>" + SHEET_END

    return write_xlsx(path, chunks())


def far_cell_xlsx(path: Path) -> Path:
    """A cell at row 1,048,576: openpyxl pads the gap with a million empty rows."""
    return write_xlsx(
        path, [SHEET_START, HEADER_ROW, '<row r="1048576"><c r="A1048576"><v>1</v></c></row>',
               SHEET_END]
    )  # fmt: skip


def csv_long_cell(chars: int = 10 * 2**20) -> bytes:
    return b"iin,year,quarter,rating\n791028302728,2026,1," + b"A" * chars + b"\n"


def csv_wide(columns: int = 200_000) -> bytes:
    return b"iin,year,quarter,rating" + b",x" * columns + b"\n791028302728,2026,1,effective\n"


def csv_many_rows(rows: int = 3_000_000) -> bytes:
    return b"iin,year,quarter,rating\n" + b"1\n" * rows
