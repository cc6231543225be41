"""Back-office pieces that belong to no single domain app: the audit trail viewer."""

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView

from core.backoffice import AppendOnlyViewSet

from . import audit_display


class AuditTrailIndexView(IndexView):
    page_title = _("Audit trail")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor", "content_type")

    @cached_property
    def columns(self):
        # The first column opens the entry (as a title column would open an editable row).
        columns = list(super().columns)
        columns[0] = self._get_title_column_class(TitleColumn)(
            "timestamp",
            label=_("when"),
            accessor=audit_display.entry_time,
            sort_key="timestamp",
            get_url=self.get_inspect_url,
        )
        return columns


class AuditTrailInspectView(InspectView):
    """Each entry in the reader's language: labels ours, values as `audit_display` reads them."""

    def get_page_subtitle(self):
        return self.object.object_repr

    def get_breadcrumbs_items(self):
        index_url = reverse(self.index_url_name)
        return [
            {**item, "label": _("Audit trail")} if item.get("url") == index_url else item
            for item in super().get_breadcrumbs_items()
        ]

    def get_fields_context(self):
        entry = self.object
        rows = [
            (_("when"), audit_display.entry_time(entry)),
            (_("who"), audit_display.entry_actor(entry)),
            (_("action"), audit_display.entry_action(entry)),
            (_("record type"), audit_display.entry_model(entry)),
            (_("record"), f"{entry.object_repr} (#{entry.object_pk})"),
            (_("changes (before → after)"), audit_display.entry_changes_html(entry)),
        ]
        if source := audit_display.entry_source(entry):
            rows.append((_("source"), source))
        return [{"label": label, "value": value, "component": None} for label, value in rows]


class AuditTrailViewSet(AppendOnlyViewSet):
    """Field-level history (who, when, before → after) recorded by django-auditlog.

    Append-only for everyone, superusers included: the trail is evidence, so nobody edits or
    deletes it here (and on PostgreSQL the database refuses it too: core.AuditEntry).
    """

    model = LogEntry
    index_view_class = AuditTrailIndexView
    inspect_view_class = AuditTrailInspectView
    icon = "history"
    menu_label = _("Audit trail")
    menu_order = 900
    add_to_admin_menu = True
    url_namespace = "audit_trail"
    list_display = [
        Column(
            "timestamp", label=_("when"), accessor=audit_display.entry_time, sort_key="timestamp"
        ),
        Column("actor", label=_("who"), accessor=audit_display.entry_actor),
        Column("action", label=_("action"), accessor=audit_display.entry_action),
        Column("content_type", label=_("record type"), accessor=audit_display.entry_model),
        Column("object_repr", label=_("record")),
        Column(
            "changes",
            label=_("changes (before → after)"),
            accessor=audit_display.entry_changes_html,
        ),
    ]
    filterset_class = audit_display.AuditTrailFilterSet
    search_fields = ["object_repr", "actor__username"]
    ordering = ["-timestamp"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_audit_trail():
    return AuditTrailViewSet("audit_trail")


@hooks.register("register_admin_urls")
def register_records_urls():
    from django.urls import path

    from .admin_records import ExportView, ImportView

    return [
        path(
            "servants/<int:pk>/transcript.<str:fmt>",
            servant_transcript,
            name="cms_servant_transcript",
        ),
        path("records/import/", ImportView.as_view(), name="cms_import"),
        path("records/export/", ExportView.as_view(), name="cms_export"),
    ]


class _RecordsMenuItem(MenuItem):
    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self._check = check

    def is_shown(self, request):
        return self._check(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    from people.authorization import may_import

    return _RecordsMenuItem(
        _("Import"), reverse("cms_import"), icon_name="upload", order=800, check=may_import
    )


@hooks.register("register_admin_menu_item")
def register_export_menu_item():
    from people.authorization import may_export

    return _RecordsMenuItem(
        _("Export"), reverse("cms_export"), icon_name="download", order=810, check=may_export
    )


def servant_transcript(request, pk: int, fmt: str):
    """A person's transcript for staff entitled to their records (scoped like everything)."""
    from django.shortcuts import get_object_or_404

    from people.access_log import access_record
    from people.authorization import may_view_records_of, require
    from people.models import CivilServant
    from people.scoping import scope_queryset

    from .views import transcript_response

    servant = get_object_or_404(scope_queryset(CivilServant.objects.all(), request.user), pk=pk)
    require(may_view_records_of(request.user, servant))
    response = transcript_response(servant, fmt)
    access_record(actor=request.user, what=f"transcript.{fmt}", servant=servant)
    return response


def _label_the_sites_list() -> None:
    """Wagtail's Sites list names three of its columns by their field names ("Port", "Site
    name", "Root page": English whatever the reader's language); they get the fields' own
    translated verbose names. The other columns already carry labels."""
    from django.utils.text import capfirst
    from wagtail.models import Site
    from wagtail.sites import views as site_views

    def label(name: str):
        return capfirst(Site._meta.get_field(name).verbose_name)  # lazy: read per request

    for column in site_views.IndexView.columns:
        if type(column) is Column:
            column.label = label(column.name)


_label_the_sites_list()


@hooks.register("construct_homepage_panels")
def add_role_home_panels(request, panels):
    """Each role's work on the back office's home page (cms.admin_home)."""
    from .admin_home import panels_for

    panels.extend(panels_for(request))


def _deletes_a_home_page(user, pages) -> bool:
    """A top-level page (each language's home page, a site's root) deleted by a non-superuser."""
    from wagtail.models import Page

    return not user.is_superuser and any(
        isinstance(page, Page) and page.depth <= 2 for page in pages
    )


@hooks.register("before_delete_page")
def keep_home_pages(request, page):
    """The academy's editors change and publish pages (cms.roles), which in Wagtail includes
    deleting a page without children; a language's home page stays for superusers to delete."""
    if _deletes_a_home_page(request.user, [page]):
        raise PermissionDenied


@hooks.register("before_bulk_action")
def keep_home_pages_in_bulk(request, action_type, objects, action_class_instance):
    if action_type == "delete" and _deletes_a_home_page(request.user, objects):
        raise PermissionDenied
