"""Back-office pieces that belong to no single domain app: the audit trail viewer."""

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from core.backoffice import view_only_policy


class AuditTrailViewSet(ModelViewSet):
    """Field-level history (who, when, before → after) recorded by django-auditlog.

    Read-only for everyone: the trail is evidence, so nobody edits or deletes it here.
    """

    model = LogEntry
    icon = "history"
    menu_label = _("Audit trail")
    menu_order = 900
    add_to_admin_menu = True
    url_namespace = "audit_trail"
    list_display = [
        "timestamp",
        Column("actor", label=_("who")),
        Column("get_action_display", label=_("action")),
        "content_type",
        "object_repr",
        Column("changes_str", label=_("changes (before → after)")),
    ]
    list_filter = ["action", "content_type", "timestamp"]
    search_fields = ["object_repr", "actor__username"]
    ordering = ["-timestamp"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "timestamp",
        "actor",
        "action",
        "content_type",
        "object_pk",
        "object_repr",
        "changes_str",
    ]
    copy_view_enabled = False
    form_fields = ["object_repr"]  # required by ModelViewSet; the policy below refuses edits

    def get_permission_policy(self):
        return view_only_policy(self.model)


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
    from .admin_records import may_import

    return _RecordsMenuItem(
        _("Import"), reverse("cms_import"), icon_name="upload", order=800, check=may_import
    )


@hooks.register("register_admin_menu_item")
def register_export_menu_item():
    from .admin_records import may_export

    return _RecordsMenuItem(
        _("Export"), reverse("cms_export"), icon_name="download", order=810, check=may_export
    )


def servant_transcript(request, pk: int, fmt: str):
    """A person's transcript for staff entitled to their records (scoped like everything)."""
    from django.shortcuts import get_object_or_404

    from people.access_log import access_record
    from people.models import CivilServant
    from people.scoping import scope_queryset

    from .views import transcript_response

    servant = get_object_or_404(scope_queryset(CivilServant.objects.all(), request.user), pk=pk)
    response = transcript_response(servant, fmt)
    access_record(actor=request.user, what=f"transcript.{fmt}", servant=servant)
    return response
