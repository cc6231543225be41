from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup

from core.backoffice import LabelledModelViewSet

from .access_log import access_record
from .access_log_admin import AccessLogViewSet
from .admin_scoping import (
    AgencyScopedViewSet,
    CivilServantAdminForm,
    ScopedAdminForm,
    ServantScopedViewSet,
)
from .models import AccessKind, Agency, CivilServant, HROfficer, PerformanceRating, Position


class AgencyViewSet(LabelledModelViewSet):
    model = Agency
    icon = "home"
    menu_label = _("State bodies")
    list_display = ["name_ru", "name_kk", "bin", "code"]
    search_fields = ["name_ru", "name_kk", "bin", "code"]
    form_fields = ["bin", "code", "name_kk", "name_ru", "name_en"]
    inspect_view_enabled = True


class PositionViewSet(AgencyScopedViewSet):
    list_select_related = ("agency",)
    model = Position
    icon = "tag"
    menu_label = _("Positions")
    list_display = ["title_ru", "category", "agency"]
    list_filter = ["category", "agency"]
    search_fields = ["title_ru", "title_kk"]
    form_fields = ["agency", "title_kk", "title_ru", "title_en", "category"]
    inspect_view_enabled = True
    base_form_class = ScopedAdminForm


class CivilServantIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                _("Transcript (PDF)"),
                url=reverse("cms_servant_transcript", args=[instance.pk, "pdf"]),
                icon_name="doc-full",
                priority=40,
            ),
            MenuItem(
                _("Transcript (CSV)"),
                url=reverse("cms_servant_transcript", args=[instance.pk, "csv"]),
                icon_name="download",
                priority=41,
            ),
        ]


class CivilServantInspectView(InspectView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        access_record(actor=request.user, what=AccessKind.SERVANT_VIEW, servant=self.object)
        return response


class CivilServantEditView(EditView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        access_record(actor=request.user, what=AccessKind.SERVANT_EDIT, servant=self.object)
        return response


class CivilServantViewSet(ServantScopedViewSet):
    list_select_related = ("agency", "position")
    model = CivilServant
    index_view_class = CivilServantIndexView
    inspect_view_class = CivilServantInspectView
    edit_view_class = CivilServantEditView
    icon = "user"
    menu_label = _("Civil servants")
    list_display = ["last_name", "first_name", "middle_name", "iin", "agency", "position"]
    list_filter = ["agency", "preferred_language"]
    search_fields = ["last_name", "first_name", "iin", "email"]
    form_fields = [
        "iin",
        "last_name",
        "first_name",
        "middle_name",
        "email",
        "preferred_language",
        "agency",
        "position",
        "appointed_on",
        "first_appointed_on",
    ]
    inspect_view_enabled = True
    inspect_view_fields = [*form_fields, "pseudonym", "user"]
    base_form_class = CivilServantAdminForm


class PerformanceRatingViewSet(ServantScopedViewSet):
    list_select_related = ("servant",)
    model = PerformanceRating
    servant_path = "servant"
    icon = "pick"
    menu_label = _("Performance ratings")
    list_display = ["servant", "period", "rating"]
    list_filter = ["year", "quarter", "rating"]
    search_fields = ["servant__last_name", "servant__iin"]
    form_fields = ["servant", "year", "quarter", "rating"]
    base_form_class = ScopedAdminForm


class HROfficerViewSet(LabelledModelViewSet):
    model = HROfficer
    icon = "group"
    menu_label = _("HR officers")
    list_display = ["user", "__str__"]
    form_fields = ["user", "agencies"]


class PeopleGroup(ViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 200
    items = (
        CivilServantViewSet("servants"),
        PerformanceRatingViewSet("ratings"),
        PositionViewSet("positions"),
        AgencyViewSet("agencies"),
        HROfficerViewSet("hr_officers"),
    )


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleGroup()


@hooks.register("register_admin_viewset")
def register_servant_chooser():
    from .choosers import servant_chooser_viewset

    return servant_chooser_viewset


@hooks.register("register_admin_viewset")
def register_access_log():
    return AccessLogViewSet("access_log")


@hooks.register("construct_reports_menu")
def hide_site_history_from_agency_roles(request, menu_items):
    from .scoping import sees_all_agencies

    if not sees_all_agencies(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
