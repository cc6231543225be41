"""Bases for back-office screens: custom admin pages, append-only (view-only) viewsets, and
model viewsets whose every view (list, edit, delete, history, usage, inspect, copy) sees only
the rows a scope function lets through, so an object URL outside the scope answers 404.
Every viewset base here shows labels, not codes (core.labels)."""

from django.contrib.admin.utils import quote, unquote
from django.forms import modelform_factory
from django.http import Http404
from django.utils.translation import get_language
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from .i18n import localized_field
from .labels import LabelledViewSetMixin
from .snippets import SnippetViewSet


class ScopedViewMixin:
    """Needs `scope(queryset, user)` on the class (set by ScopedModelViewSet)."""

    scope = None

    def setup(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and self.scope is not None:
            queryset = self.scope(self.model._default_manager.all(), request.user)
            if not queryset.filter(pk=unquote(str(pk))).exists():
                raise Http404
        super().setup(request, *args, **kwargs)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if queryset.model is not self.model:
            # The history and usage views list log entries or references of the one object
            # named in the URL (checked against the scope in `setup`), not rows of the model.
            return queryset
        if self.list_select_related:
            # The list's columns show related rows: one join instead of a query per row.
            queryset = queryset.select_related(*self.list_select_related)
        return self.scope(queryset, self.request.user) if self.scope else queryset

    list_select_related: tuple[str, ...] = ()


class LabelledModelViewSet(LabelledViewSetMixin, ModelViewSet):
    """A ModelViewSet whose lists, inspect views and downloads read as people read
    (core.labels): the base of every model viewset of the project."""


class LabelledSnippetViewSet(LabelledViewSetMixin, SnippetViewSet):
    """The same for snippets (programmes, sessions)."""


class ScopedModelViewSet(LabelledModelViewSet):
    """A ModelViewSet whose views see only what `scope_rows(queryset, user)` lets through.

    `list_select_related` names the relations the list columns show (joined, not fetched
    row by row)."""

    list_select_related: tuple[str, ...] = ()

    def scope_rows(self, queryset, user):  # pragma: no cover - overridden
        return queryset

    _VIEWS = (
        "index_view_class",
        "edit_view_class",
        "delete_view_class",
        "history_view_class",
        "usage_view_class",
        "inspect_view_class",
        "copy_view_class",
    )

    base_form_class = None

    def get_form_class(self, for_update=False):
        if self.base_form_class is None or self._edit_handler:
            return super().get_form_class(for_update)
        return modelform_factory(
            self.model,
            form=self.base_form_class,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.get_form_fields(),
            exclude=self.get_exclude_form_fields(),
        )

    def __init__(self, *args, **kwargs):
        for attr in self._VIEWS:
            base = getattr(self, attr)
            extra = {"list_select_related": self.list_select_related}
            scoped = type(f"Scoped{base.__name__}", (ScopedViewMixin, base), extra)
            scoped.scope = staticmethod(self.scope_rows)
            setattr(self, attr, scoped)
        super().__init__(*args, **kwargs)


def view_only_policy(model, *, may_view=None):
    """A permission policy that allows viewing and nothing else, superusers included: for rows
    that change only through services, or never (audit entries). Who may view: those with the
    model's view permission, or `may_view(user)` when given (e.g. auditors only)."""
    from wagtail.permission_policies.base import ModelPermissionPolicy

    class ViewOnlyPolicy(ModelPermissionPolicy):
        view_only = True

        def _may_view(self, user):
            if may_view is not None:
                return bool(may_view(user))
            return super().user_has_permission(user, "view")

        def user_has_permission(self, user, action):
            return action == "view" and self._may_view(user)

        def user_has_any_permission(self, user, actions):
            return "view" in actions and self._may_view(user)

        def user_has_permission_for_instance(self, user, action, instance):
            return self.user_has_permission(user, action)

        def user_has_any_permission_for_instance(self, user, actions, instance):
            return self.user_has_any_permission(user, actions)

        def instances_user_has_any_permission_for(self, user, actions):
            if self.user_has_any_permission(user, actions):
                return self.model._default_manager.all()
            return self.model._default_manager.none()

        def users_with_any_permission(self, actions):
            if may_view is not None:  # not expressible as a query over permissions
                from django.contrib.auth import get_user_model

                return get_user_model()._default_manager.none()
            return super().users_with_any_permission(actions)

    return ViewOnlyPolicy(model)


class AppendOnlyViewSet(LabelledModelViewSet):
    """A model viewset that lists and inspects rows and never adds, edits, copies or deletes
    them, whoever asks (superusers included): the rows change only through services (their
    own screens stay), or never.

    Wagtail 8 takes a model's permission policy from `wagtail.permissions.policy_registry`
    (a viewset's `get_permission_policy()` is never called), so the view-only policy is
    registered there for the model; and the add/edit/delete/copy URLs are not routed at all.
    Put it first among the bases: `class X(AppendOnlyViewSet, ServantScopedViewSet)`."""

    copy_view_enabled = False
    _NOT_ROUTED = ("add", "edit", "delete", "copy")

    # A row's history (who issued, revoked, corrected it) is read by whoever may view the row;
    # Wagtail asks for add/change/delete there, which nobody has on these models.
    history_view_class = type(
        "ViewableHistoryView",
        (ModelViewSet.history_view_class,),
        {"any_permission_required": ["view"]},
    )
    usage_view_class = type(
        "ViewableUsageView", (ModelViewSet.usage_view_class,), {"permission_required": "view"}
    )

    def register_permissions(self):
        from wagtail.permissions import policy_registry, register_permission_policy

        registered = policy_registry.get_by_type(self.model, fallback=False)
        if not getattr(registered, "view_only", False):
            register_permission_policy(self.model, view_only_policy(self.model), exact_class=True)
        super().register_permissions()

    def get_form_class(self, for_update=False):
        return None  # no add or edit view is routed: no form

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in self._NOT_ROUTED:
            view_kwargs.pop(f"{name}_url_name", None)
        return view_kwargs

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns() if p.name not in self._NOT_ROUTED]

    @property
    def url_finder_class(self):
        """Links to a row elsewhere in the admin (site history, reports) open its inspect
        view, for those who may view it."""
        from django.urls import reverse
        from wagtail.admin.admin_url_finder import ModelAdminURLFinder
        from wagtail.permissions import policy_registry

        inspect_url_name = self.get_url_name("inspect") if self.inspect_view_enabled else None

        class InspectURLFinder(ModelAdminURLFinder):
            def construct_edit_url(self, instance):
                if inspect_url_name:
                    return reverse(inspect_url_name, args=(quote(instance.pk),))
                return None

            def get_edit_url(self, instance):
                policy = policy_registry.get(instance)
                if self.user and not policy.user_has_permission(self.user, "view"):
                    return None
                return self.construct_edit_url(instance)

        return InspectURLFinder


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    """A custom back-office screen: Wagtail's chrome, a breadcrumb trail ending in its title."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class LocalizedColumn(Column):
    """A listing column of a name kept per language (`title_kk`, `title_ru`, `title_en`): the
    value in the admin user's language (falling back kk → ru → en, core.i18n.localized_field),
    sorted by that language's field."""

    def __init__(self, name: str, **kwargs):
        super().__init__(name, **kwargs)
        self.field_name = name

    def get_value(self, instance):
        return localized_field(instance, self.field_name)

    @property
    def sort_key(self):
        language = (get_language() or "kk")[:2]
        return f"{self.field_name}_{language if language in ('kk', 'ru', 'en') else 'kk'}"

    @sort_key.setter
    def sort_key(self, value):
        """Set by Column.__init__; the language of the request decides instead."""
