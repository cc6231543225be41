"""The academy's annual report in the back office: the page, its XLSX and its PDF."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from config.routers import reporting_db
from core.backoffice import AdminPage
from people.authorization import may_view_annual_report, require

from . import selectors
from .rendering import render_report_pdf, write_report_xlsx
from .tables import NUMBER, plan_table, report_tables

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def _year(request) -> int:
    """The year asked for (?year=YYYY), else the default (selectors.default_year)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is not None and 2000 <= year <= timezone.localdate().year + 1:
        return year
    with reporting_db():
        return selectors.default_year()


def _language(request) -> str:
    """?lang= (kk, ru or en) for a download in another language; else the page's own."""
    asked = request.GET.get("lang", "")
    return asked if asked in dict(settings.LANGUAGES) else translation.get_language()[:2]


def _bars(lines, value, *, rate: bool = False) -> list[dict]:
    """Rows of a bar chart drawn with CSS (no scripts, nothing fetched): width relative to
    the largest value, or to 100 for a rate."""
    values = [(line.label, value(line)) for line in lines]
    top = 100 if rate else max([v or 0 for _label, v in values] or [0]) or 1
    return [
        {"label": label, "value": v, "width": round(100 * (v or 0) / top, 1), "rate": rate}
        for label, v in values
    ]


def report_context(year: int) -> dict:
    """Everything the page and the PDF show, in the active language."""
    with reporting_db():  # a report: the replica, when there is one
        report = selectors.annual_report(year, no_category_label=_("no position"))
        plan_rows = selectors.plan_against_actual_rows(year)
    start, end = selectors.year_range(year)
    return {
        "year": year,
        "report": report,
        "tables": report_tables(report),
        "plan": plan_table(plan_rows),
        "charts": [
            {
                "title": _("People trained by state body"),
                "bars": _bars(report.agencies, lambda line: line.people),
            },
            {
                "title": _("Completion rate by state body, %"),
                "bars": _bars(
                    [line for line in report.agencies if line.outcomes.results],
                    lambda line: line.outcomes.completion_rate,
                    rate=True,
                ),
            },
            {
                "title": _("People trained by kind of training"),
                "bars": _bars(report.kinds, lambda line: line.people),
            },
            {
                "title": _("People trained by position category"),
                "bars": _bars(report.categories, lambda line: line.people),
            },
        ],
        "start": start,
        "end": end,
        "NUMBER": NUMBER,
    }


class AnnualReportView(AdminPage):
    template_name = "reports/admin/annual_report.html"
    page_title = gettext_lazy("Annual report")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require(may_view_annual_report(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        with reporting_db():
            years = selectors.report_years()
        if year not in years:
            years = sorted({*years, year})
        context.update(report_context(year))
        context.update(
            years=years,
            downloads=[
                {"code": code, "name": LANGUAGE_NAMES.get(code, name)}
                for code, name in settings.LANGUAGES
            ],
        )
        return context


class _Download(View):
    def dispatch(self, request, *args, **kwargs):
        require(may_view_annual_report(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        year = _year(request)
        language = _language(request)
        with translation.override(language):
            body = self.render(year)
            response = HttpResponse(body, content_type=self.content_type)
        filename = f"annual-report-{year}-{language}.{self.extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Content-Language"] = language
        return response


class AnnualReportXlsxView(_Download):
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def render(self, year: int) -> bytes:
        context = report_context(year)
        title = _("Annual report %(year)s") % {"year": year}
        return write_report_xlsx([*context["tables"], context["plan"]], title=title)


class AnnualReportPdfView(_Download):
    content_type = "application/pdf"
    extension = "pdf"

    def render(self, year: int) -> bytes:
        from core.i18n import localized_field
        from core.models import branch_settings

        context = report_context(year)
        context.update(
            branch_name=localized_field(branch_settings(), "name"),
            generated=timezone.localtime(),
            LANGUAGE_CODE=translation.get_language(),
        )
        return render_report_pdf(context)
