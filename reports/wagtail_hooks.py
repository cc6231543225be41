from django.urls import path, reverse
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from people.authorization import may_view_annual_report


@hooks.register("register_admin_urls")
def register_report_urls():
    from .admin_views import AnnualReportPdfView, AnnualReportView, AnnualReportXlsxView

    return [
        path("annual-report/", AnnualReportView.as_view(), name="reports_annual"),
        path("annual-report/xlsx/", AnnualReportXlsxView.as_view(), name="reports_annual_xlsx"),
        path("annual-report/pdf/", AnnualReportPdfView.as_view(), name="reports_annual_pdf"),
    ]


class AnnualReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_annual_report(request.user)


@hooks.register("register_admin_menu_item")
def register_annual_report_menu_item():
    return AnnualReportMenuItem(
        pgettext_lazy("admin menu", "Annual report"),
        reverse("reports_annual"),
        icon_name="table",
        order=330,
    )
