from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView

from core.backoffice import LabelledSnippetViewSet, LocalizedColumn
from core.filters import labelled_filterset
from core.snippets import SnippetChooserViewSet

from . import selectors, services
from .models import Programme, Session


class ProgrammeIndexView(IndexView):
    def search_queryset(self, queryset):
        # Wagtail's database search backend turns the query into SQLite FTS5 or PostgreSQL
        # tsquery syntax (a `"` broke it; on SQLite `search_fields` named FTS columns that
        # do not exist): the back office searches the way the catalog does instead.
        if not self.is_searching:
            return queryset
        return selectors.programmes_matching(queryset, self.search_query)


class ProgrammeSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            objects = selectors.programmes_matching(objects, query)
            self.is_searching = True
            self.search_query = query
        return objects


class ProgrammeChooseView(ChooseView):
    filter_form_class = ProgrammeSearchForm


class ProgrammeChooseResultsView(ChooseResultsView):
    filter_form_class = ProgrammeSearchForm


class ProgrammeChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ProgrammeChooseView
    choose_results_view_class = ProgrammeChooseResultsView


class ProgrammeViewSet(LabelledSnippetViewSet):
    model = Programme
    index_view_class = ProgrammeIndexView
    chooser_viewset_class = ProgrammeChooserViewSet
    icon = "doc-full"
    menu_order = 100
    add_to_admin_menu = True
    menu_label = _("Programmes")
    # The title in the admin user's language (the Russian one is not everyone's).
    list_display = [
        "code",
        LocalizedColumn("title", label=capfirst(_("title"))),
        "kind",
        "academic_hours",
        "format",
        "live",
    ]
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


class SessionCreateView(CreateView):
    def save_instance(self):
        fields = _model_fields(self.form)
        return services.session_create(actor=self.request.user, **fields).session

    def form_valid(self, form):
        return _refusal_or(self, form, super().form_valid)


class SessionEditView(EditView):
    """Every field goes through `session_update` in one transaction: a refused capacity saves
    nothing else either, and the form shows why."""

    def save_instance(self):
        saved = services.session_update(
            session=self.object, actor=self.request.user, changes=_model_fields(self.form)
        )
        if saved.effects:
            messages.info(
                self.request,
                ngettext(
                    "%(count)s person moved from the waiting list into the new seats.",
                    "%(count)s people moved from the waiting list into the new seats.",
                    len(saved.effects),
                )
                % {"count": len(saved.effects)},
            )
        return saved.session

    def form_valid(self, form):
        return _refusal_or(self, form, super().form_valid)


def _model_fields(form) -> dict:
    names = {f.name for f in Session._meta.concrete_fields} - {"id", "status"}
    return {name: value for name, value in form.cleaned_data.items() if name in names}


def _refusal_or(view, form, form_valid):
    try:
        return form_valid(form)
    except ValidationError as error:
        form.add_error(None, error)
        view.produced_error_message = view.get_error_message()
        return view.form_invalid(form)


class SessionViewSet(LabelledSnippetViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    menu_order = 110
    add_to_admin_menu = True
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    list_display = ["programme", "starts_on", "ends_on", "language", "capacity", "status"]
    filterset_class = labelled_filterset(
        Session,
        ["status", "language", "programme__kind"],
        {"programme__kind": _("programme kind")},
    )
    search_fields = ["programme__code", "programme__title_ru", "programme__title_kk"]
    ordering = ["-starts_on"]
    edit_handler = ObjectList(
        [
            FieldPanel("programme"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldRowPanel([FieldPanel("enrolment_opens_on"), FieldPanel("enrolment_closes_on")]),
            FieldRowPanel([FieldPanel("language"), FieldPanel("capacity")]),
            MultiFieldPanel(
                [FieldPanel("location_kk"), FieldPanel("location_ru"), FieldPanel("location_en")],
                heading=_("Location"),
            ),
            FieldPanel("status", read_only=True),
        ],
    )


# Registered by enrolments (enrolments.session_admin): the list and the session's page show
# seats, the waiting list and the roster, which courses does not know about.
