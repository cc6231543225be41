"""Snippet viewsets whose words follow the reader's language.

Wagtail's snippet viewset and chooser translate some of their words once, when the viewset is
registered at start-up (`gettext`, or a lazy string formatted with `%`), so they stay in the
default language (Kazakh) for everyone: «Басты бет» in a Russian reader's breadcrumbs, «…
таңдаңыз» on a Russian programme chooser. These subclasses keep those words lazy, translated
when each page is drawn. Use them instead of Wagtail's for every snippet."""

from django.conf import settings
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from wagtail.snippets.views.chooser import (
    SnippetChooserViewSet as WagtailSnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import SnippetViewSet as WagtailSnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser

# Wagtail's own messages, translated by Wagtail's catalogs and locale_backoffice/: called by a
# name makemessages does not look for, so they stay out of the project's catalog (locale/),
# which would otherwise take precedence with entries of its own.
wagtail_message = gettext_lazy


def _naming(message: str, model) -> str:
    """Wagtail's `message` (with %(object)s) naming `model`, translated when it is shown."""
    return lazy(lambda: gettext(message) % {"object": model._meta.verbose_name}, str)()


class SnippetChooser(AdminSnippetChooser):
    def __init__(self, model=None, **kwargs):
        super().__init__(model=model, **kwargs)
        self.choose_one_text = _naming("Choose %(object)s", self.model)
        self.choose_another_text = _naming("Choose another %(object)s", self.model)
        self.link_to_chosen_text = _naming("Edit this %(object)s", self.model)


class SnippetChooserViewSet(WagtailSnippetChooserViewSet):
    base_widget_class = SnippetChooser
    choose_one_text = wagtail_message("Choose")
    choose_another_text = wagtail_message("Choose another")
    edit_item_text = wagtail_message("Edit")
    search_tab_label = wagtail_message("Search")
    create_action_label = wagtail_message("Create")


class SnippetViewSet(WagtailSnippetViewSet):
    chooser_viewset_class = SnippetChooserViewSet

    @property
    def breadcrumbs_items(self):
        # Wagtail's own, with lazy labels (it is read once, when the views are made).
        items = [{"url": reverse_lazy("wagtailadmin_home"), "label": wagtail_message("Home")}]
        if (
            getattr(settings, "WAGTAILSNIPPETS_MENU_SHOW_ALL", False)
            or not self.get_menu_item_is_registered()
        ):
            items.append(
                {"url": reverse_lazy("wagtailsnippets:index"), "label": wagtail_message("Snippets")}
            )
        return items
