"""The annual report as tables: the one description of its columns, read by the admin page,
the XLSX and the PDF, so the three always show the same figures under the same headers."""

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .selectors import AnnualReport, Line

TEXT, NUMBER, RATE = "text", "number", "rate"


@dataclasses.dataclass
class Table:
    slug: str
    title: str
    sheet: str  # a spreadsheet's tab: at most 31 characters
    headers: list[str]
    kinds: list[str]
    rows: list[list]
    total: list | None = None
    note: str = ""
    row_kinds: list[str] | None = None  # a figure per row (key figures): its second cell's kind

    @property
    def cells(self) -> list[list[tuple]]:
        """The rows as (value, kind) pairs, for templates."""
        if self.row_kinds:
            return [
                [(row[0], TEXT), (row[1], kind)]
                for row, kind in zip(self.rows, self.row_kinds, strict=True)
            ]
        return [list(zip(row, self.kinds, strict=True)) for row in self.rows]

    @property
    def total_cells(self) -> list[tuple] | None:
        return list(zip(self.total, self.kinds, strict=True)) if self.total else None


def _outcome_cells(line: Line) -> list:
    o = line.outcomes
    return [o.results, o.completed, o.no_show, o.completion_rate, o.no_show_rate]


def _outcome_headers() -> list[str]:
    return [
        _("results recorded"),
        pgettext("annual report", "completed"),
        pgettext("annual report", "did not attend"),
        _("completion rate, %"),
        _("no-show rate, %"),
    ]


def _breakdown(slug, title, sheet, first, lines: list[Line], total: Line | None, note="") -> Table:
    headers = [first, _("people trained"), _("completions"), _("academic hours")]
    headers += _outcome_headers()
    kinds = [TEXT, NUMBER, NUMBER, NUMBER, NUMBER, NUMBER, NUMBER, RATE, RATE]

    def cells(line: Line) -> list:
        return [line.label, line.people, line.completions, line.hours, *_outcome_cells(line)]

    return Table(
        slug=slug,
        title=title,
        sheet=sheet,
        headers=headers,
        kinds=kinds,
        rows=[cells(line) for line in lines],
        total=cells(total) if total else None,
        note=note,
    )


def report_tables(report: AnnualReport) -> list[Table]:
    """Every table of the report, in the active language."""
    t = report.total
    o = t.outcomes
    summary = Table(
        slug="summary",
        title=_("Key figures"),
        sheet=_("Key figures"),
        headers=[_("figure"), _("value")],
        kinds=[TEXT, NUMBER],
        rows=[
            [_("people trained"), t.people],
            [_("completions"), t.completions],
            [_("academic hours"), t.hours],
            [_("results recorded"), o.results],
            [pgettext("annual report", "completed"), o.completed],
            [pgettext("annual report", "not passed"), o.failed],
            [pgettext("annual report", "did not attend"), o.no_show],
            [_("awaiting results"), o.awaiting],
            [_("completion rate, %"), o.completion_rate],
            [_("no-show rate, %"), o.no_show_rate],
            [_("certificates issued"), t.issued],
            [_("certificates revoked"), t.revoked],
            [_("records of other providers' courses (not counted)"), report.other_providers],
        ],
        row_kinds=[NUMBER] * 8 + [RATE, RATE] + [NUMBER] * 3,
    )
    agencies = _breakdown(
        "agencies",
        _("By state body"),
        _("State bodies"),
        _("state body"),
        report.agencies,
        t,
    )
    certificates = Table(
        slug="certificates",
        title=_("Certificates by state body"),
        sheet=_("Certificates"),
        headers=[_("state body"), _("certificates issued"), _("certificates revoked")],
        kinds=[TEXT, NUMBER, NUMBER],
        rows=[
            [line.label, line.issued, line.revoked]
            for line in sorted(report.agencies, key=lambda line: (-line.issued, line.label))
            if line.issued or line.revoked
        ],
        total=[t.label, t.issued, t.revoked],
    )
    programmes = _breakdown(
        "programmes",
        _("By programme"),
        _("Programmes"),
        _("programme"),
        report.programmes,
        None,
        note=_(
            "A person trained in two programmes is counted in each, so this column may add up "
            "to more than the total."
        ),
    )
    kinds = _breakdown("kinds", _("By kind of training"), _("Kinds"), _("kind"), report.kinds, None)
    categories = _breakdown(
        "categories",
        _("By position category"),
        _("Categories"),
        _("category"),
        report.categories,
        t,
    )
    return [summary, agencies, certificates, programmes, kinds, categories]


def plan_table(rows: list) -> Table:
    """Plan against actual per state body and planned training (reports.selectors)."""
    return Table(
        slug="plan",
        title=_("Plan against actual"),
        sheet=_("Plan against actual"),
        headers=[
            _("state body"),
            _("training"),
            _("planned"),
            _("got a place"),
            _("completed"),
            _("difference"),
        ],
        kinds=[TEXT, TEXT, NUMBER, NUMBER, NUMBER, NUMBER],
        rows=[list(row) for row in rows],
        note="" if rows else _("No yearly plans for this year yet."),
    )
