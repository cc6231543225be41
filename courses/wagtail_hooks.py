from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Programme, Session


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "doc-full"
    menu_label = _("Programmes")
    list_display = ["code", "title_ru", "kind", "academic_hours", "format", "live"]
    list_filter = ["kind", "format", "live", "requires_approval"]
    search_fields = ["code", "title_kk", "title_ru", "title_en"]
    list_export = ["code", "title_kk", "title_ru", "title_en", "kind", "academic_hours", "format"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("code"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("format")]),
                    FieldRowPanel(
                        [
                            FieldPanel("academic_hours"),
                            FieldPanel("validity_years"),
                            FieldPanel("required_attendance_percent"),
                        ]
                    ),
                    FieldPanel("audience"),
                    FieldPanel("requires_approval"),
                ],
                heading=_("Programme"),
            ),
            ObjectList(
                [FieldPanel("title_kk"), FieldPanel("summary_kk"), FieldPanel("description_kk")],
                heading=_("Kazakh"),
            ),
            ObjectList(
                [FieldPanel("title_ru"), FieldPanel("summary_ru"), FieldPanel("description_ru")],
                heading=_("Russian"),
            ),
            ObjectList(
                [FieldPanel("title_en"), FieldPanel("summary_en"), FieldPanel("description_en")],
                heading=_("English"),
            ),
        ]
    )


class SessionViewSet(SnippetViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    list_display = ["programme", "starts_on", "ends_on", "language", "capacity", "status"]
    list_filter = ["status", "language", "programme__kind"]
    search_fields = ["programme__code", "programme__title_ru", "programme__title_kk"]
    ordering = ["-starts_on"]
    panels = [
        FieldPanel("programme"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldRowPanel([FieldPanel("enrolment_opens_on"), FieldPanel("enrolment_closes_on")]),
        FieldRowPanel([FieldPanel("language"), FieldPanel("capacity")]),
        MultiFieldPanel(
            [FieldPanel("location_kk"), FieldPanel("location_ru"), FieldPanel("location_en")],
            heading=_("Location"),
        ),
        FieldPanel("status", read_only=True),
    ]


class CoursesGroup(SnippetViewSetGroup):
    menu_label = _("Training")
    menu_icon = "doc-full"
    menu_order = 100
    items = (ProgrammeViewSet, SessionViewSet)


register_snippet(CoursesGroup)
