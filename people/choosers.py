"""The civil-servant chooser: Wagtail's chooser modal (a `ChooserViewSet`) wherever a person is
picked in the back office — the eligibility check, a rating's person, a competition's winner.

Search by name (surname, first name, patronymic, in any letter case, Kazakh letters included),
by IIN (12 digits, or its first digits) or by the name or code of the state body. Every view
sees only the people the user may see (people.scoping): an HR officer finds and picks their
state bodies' people only; a person outside the scope answers 404 when named in a URL."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from core.snippets import wagtail_message

from .models import CivilServant
from .scoping import scope_queryset

# A word of a search matches any of these (names as stored: a capital first letter).
_WORD_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "agency__name_kk",
    "agency__name_ru",
    "agency__name_en",
    "agency__code",
)


def _spellings(word: str) -> set[str]:
    """The ways a word may be stored. SQLite compares letters case-insensitively only in
    ASCII («иванов» would not find «Иванов»), so each word is also tried as written with a
    capital, in lower case and in capitals (PostgreSQL needs none of it, and is not hurt)."""
    return {word, word.lower(), word.upper(), word.capitalize()}


def servants_search(queryset: QuerySet, text: str) -> QuerySet:
    """People whose every word of `text` is found in their name, their IIN (digits: the IIN
    starts with them) or their state body's name or code."""
    for word in (text or "").split():
        if word.isdigit():
            queryset = queryset.filter(iin__startswith=word)
            continue
        match = Q()
        for spelling in _spellings(word):
            for field in _WORD_FIELDS:
                match |= Q(**{f"{field}__icontains": spelling})
        queryset = queryset.filter(match)
    return queryset


def scoped_servants(user) -> QuerySet:
    return scope_queryset(CivilServant.objects.select_related("agency", "position"), user)


def servant_label(servant: CivilServant) -> str:
    """How a chosen person reads in a form: the name, the category and the state body."""
    category = servant.position.category if servant.position_id else ""
    details = ", ".join(p for p in (category, servant.agency.name) if p)
    return f"{servant.full_name} ({details})" if details else servant.full_name


class ServantSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=gettext_lazy("Name, IIN or state body"),
        widget=forms.TextInput(
            attrs={
                "placeholder": gettext_lazy("e.g. Ахметова, 791028302728 or akimat"),
                "autocomplete": "off",
            }
        ),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        text = (self.cleaned_data.get("q") or "").strip()
        if text:
            self.is_searching = True
            self.search_query = text
            objects = servants_search(objects, text)
        return objects


class _ScopedChooserMixin:
    """The user must hold a permission on civil servants; the rows are the user's scope."""

    def dispatch(self, request, *args, **kwargs):
        if not any(
            request.user.has_perm(f"people.{action}_civilservant") for action in ("view", "change")
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return scoped_servants(self.request.user)


class ServantChooseViewMixin(_ScopedChooserMixin):
    filter_form_class = ServantSearchForm
    ordering = ("last_name", "first_name", "middle_name")
    per_page = 15

    @property
    def columns(self):
        return [
            self.title_column,
            Column("iin", label=gettext_lazy("IIN"), accessor="iin"),
            Column(
                "category",
                label=gettext_lazy("category"),
                accessor=lambda s: s.position.category if s.position_id else "—",
            ),
            Column("agency", label=gettext_lazy("state body"), accessor=lambda s: s.agency.name),
        ]

    @property
    def title_column(self):
        column = super().title_column
        if isinstance(column, TitleColumn):
            column.label = gettext_lazy("civil servant")
            column.accessor = lambda s: s.full_name
        return column

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET)


class ServantChooseView(ServantChooseViewMixin, chooser_views.ChooseView):
    pass


class ServantChooseResultsView(ServantChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class ServantChosenView(_ScopedChooserMixin, chooser_views.ChosenView):
    def get_object(self, pk):
        return self.get_object_list().get(pk=pk)

    def get_display_title(self, instance):
        return servant_label(instance)


class ServantChosenMultipleView(_ScopedChooserMixin, chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return self.get_object_list().filter(pk__in=pks)

    def get_display_title(self, instance):
        return servant_label(instance)


class ServantChooser(BaseChooser):
    """The widget. `queryset` (set by the form to the user's scope) is where a value given to
    the form is looked up for display, so a posted id outside the scope shows no name."""

    queryset = None
    clear_choice_text = wagtail_message("Clear choice")

    def get_instance(self, value):
        if value is None or isinstance(value, CivilServant):
            return value
        rows = self.queryset if self.queryset is not None else CivilServant.objects.none()
        try:
            return rows.select_related("agency", "position").get(pk=value)
        except (CivilServant.DoesNotExist, ValueError, TypeError):
            return None

    def get_display_title(self, instance):
        return servant_label(instance)


class ServantChooserViewSet(ChooserViewSet):
    model = CivilServant
    icon = "user"
    base_widget_class = ServantChooser
    choose_view_class = ServantChooseView
    choose_results_view_class = ServantChooseResultsView
    chosen_view_class = ServantChosenView
    chosen_multiple_view_class = ServantChosenMultipleView
    # Words drawn in the reader's language when shown (Wagtail's own are fixed at start-up).
    choose_one_text = gettext_lazy("Choose a civil servant")
    choose_another_text = gettext_lazy("Choose another civil servant")
    edit_item_text = wagtail_message("Edit")
    search_tab_label = wagtail_message("Search")
    page_title = gettext_lazy("Choose a civil servant")

    def get_urlpatterns(self):
        # People are registered on their own screen (or imported), never from a chooser.
        return [p for p in super().get_urlpatterns() if p.name != "create"]


servant_chooser_viewset = ServantChooserViewSet("servant_chooser", url_prefix="people/choose")


def use_servant_chooser(field, user) -> None:
    """Give a form's person field the chooser, both limited to what `user` may see."""
    field.queryset = scoped_servants(user)
    widget = servant_chooser_viewset.widget_class()
    widget.queryset = field.queryset
    widget.is_required = field.required
    field.widget = widget
