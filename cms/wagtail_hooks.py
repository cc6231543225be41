"""Back-office pieces that belong to no single domain app: the audit trail viewer."""

from auditlog.models import LogEntry
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from people.admin_scoping import view_only_policy


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
