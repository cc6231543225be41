from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Programme


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "doc-full"
    menu_order = 100
    add_to_admin_menu = True
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


register_snippet(ProgrammeViewSet)
