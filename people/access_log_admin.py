"""The read-access log in the back office: auditors and superusers browse and filter it; nobody
adds, edits or deletes an entry (the permission policy is registered for the model, the way
Wagtail 8 looks it up; PostgreSQL refuses UPDATE and DELETE on the table as well)."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.permissions import register_permission_policy

from core.authorization import is_auditor
from core.backoffice import AppendOnlyViewSet, view_only_policy

from .access_log import ROLE_LABELS
from .models import AccessKind, AccessLogEntry

WHAT = pgettext_lazy("read-access log", "what")


def may_read_access_log(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or is_auditor(user))
    )


# View for auditors and superusers; no other action for anyone (AppendOnlyViewSet keeps this
# policy instead of registering the permission-based one).
register_permission_policy(
    AccessLogEntry,
    view_only_policy(AccessLogEntry, may_view=may_read_access_log),
    exact_class=True,
)


class AccessLogFilterSet(WagtailFilterSet):
    actor = django_filters.ModelChoiceFilter(
        label=_("who"),
        queryset=lambda request: (
            get_user_model()
            .objects.filter(pk__in=AccessLogEntry.objects.values("actor_id"))
            .order_by("last_name", "first_name", "username")
        ),
    )
    what = django_filters.ChoiceFilter(label=WHAT, choices=AccessKind.choices)
    at = django_filters.DateFromToRangeFilter(label=_("when"), widget=DateRangePickerWidget)
    servant_iin = django_filters.CharFilter(
        label=_("IIN of the person"), field_name="servant__iin", lookup_expr="exact"
    )

    class Meta:
        model = AccessLogEntry
        fields = ["actor", "what", "at", "servant_iin"]


def _local_time(entry) -> str:
    return date_format(timezone.localtime(entry.at), "d.m.Y H:i:s")


def _who(entry) -> str:
    name = entry.actor_name or f"#{entry.actor_id}"
    return f"{name} ({ROLE_LABELS.get(entry.actor_role, ROLE_LABELS[''])})"


def _whom(entry) -> str:
    if entry.servant_id:
        return entry.servant.full_name if entry.servant else f"#{entry.servant_id}"
    agencies = len(entry.agency_id_list)
    return str(
        _("%(rows)s rows, %(agencies)s state bodies")
        % {"rows": "—" if entry.row_count is None else entry.row_count, "agencies": agencies}
    )


class AccessLogIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("servant")


class AccessLogViewSet(AppendOnlyViewSet):
    model = AccessLogEntry
    icon = "view"
    menu_label = _("Read-access log")
    menu_order = 910
    add_to_admin_menu = True
    url_prefix = "access-log"
    url_namespace = "access_log"
    list_display = [
        Column("at", label=_("when"), accessor=_local_time, sort_key="at"),
        Column("actor", label=_("who"), accessor=_who),
        Column("what", label=WHAT, accessor=lambda e: e.get_what_display()),
        Column("servant", label=_("whose record"), accessor=_whom),
    ]
    filterset_class = AccessLogFilterSet
    search_fields = [
        "servant__last_name",
        "servant__first_name",
        "servant__iin",
        "actor_name",
        "actor__username",
    ]
    ordering = ["-at", "-pk"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "at",
        "actor",
        "actor_name",
        "actor_role",
        "what",
        "servant",
        "filters",
        "row_count",
        "agency_ids",
    ]
    index_view_class = AccessLogIndexView
