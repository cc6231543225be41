"""The annual report as files: XLSX (one sheet per table) and PDF (WeasyPrint, A4)."""

import io
import threading
from functools import lru_cache

from django.template.loader import render_to_string

from core.exporting import neutralise

from .tables import TEXT, Table

_font_lock = threading.Lock()


def write_report_xlsx(tables: list[Table], *, title: str) -> bytes:
    """One sheet per table, headers in the active language; figures stay numbers."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_name(table.sheet, used))
        sheet.append([title])
        sheet.append([table.title])
        sheet.append([])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append(_xlsx_row(row, table.kinds))
        if table.total:
            sheet.append(_xlsx_row(table.total, table.kinds))
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_row(row: list, kinds: list[str]) -> list:
    return [
        neutralise(value) if kind == TEXT else value for value, kind in zip(row, kinds, strict=True)
    ]


_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _sheet_name(name: str, used: set[str]) -> str:
    """A unique sheet name within Excel's limits (31 characters, none of []:*?/\\)."""
    base = name.translate(_FORBIDDEN).strip()[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" {n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _fetcher():
    from weasyprint import URLFetcher

    # The report embeds nothing: no request leaves the machine while it renders.
    return URLFetcher(allowed_protocols={"data"})


def render_report_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/admin/annual_report_pdf.html", context)
    with _font_lock:  # one FontConfiguration, shared by the threads of a process
        return HTML(string=html, url_fetcher=_fetcher()).write_pdf(font_config=_font_config())
