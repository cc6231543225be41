from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton

from core.backoffice import AppendOnlyViewSet
from courses.models import Session, SessionPhase
from people.admin_scoping import ServantScopedViewSet
from people.authorization import may_revoke_certificates, may_run_sessions

from . import admin_views
from .models import Certificate


class CertificateIndexView(IndexView):
    def filter_queryset(self, queryset):
        # `?session=<id>`: the certificates of one session (where a bulk issue's page links).
        queryset = super().filter_queryset(queryset)
        session = self.request.GET.get("session", "")
        if session.isdigit():
            queryset = queryset.filter(record__enrolment__session_id=int(session))
        return queryset

    def get_list_more_buttons(self, instance):
        buttons = [
            *super().get_list_more_buttons(instance),
            MenuItem(
                _("Download PDF"),
                url=reverse("certificates:pdf", args=[instance.pk]),
                icon_name="download",
                priority=5,
            ),
        ]
        user = self.request.user
        if instance.revoked_at is None and may_revoke_certificates(user):
            buttons.append(
                MenuItem(
                    _("Revoke"),
                    url=reverse("certificates:revoke", args=[instance.pk]),
                    icon_name="warning",
                    priority=90,
                )
            )
        return buttons


class CertificateInspectView(InspectView):
    """The certificate's own page: its fields, and what the row menu offers (PDF, revoke)
    plus the public verification page, as buttons in the header."""

    # Fields that are not model fields: their labels in the reader's language.
    extra_labels = {"status": _("status")}

    def get_field_label(self, field_name, field):
        if field_name in self.extra_labels:
            return capfirst(self.extra_labels[field_name])
        return super().get_field_label(field_name, field)

    @cached_property
    def header_buttons(self):
        certificate = self.object
        buttons = [
            HeaderButton(
                _("Download PDF"),
                url=reverse("certificates:pdf", args=[certificate.pk]),
                icon_name="download",
                priority=10,
            ),
            HeaderButton(
                _("Verification page"),
                url=certificate.verify_path,
                icon_name="link-external",
                priority=20,
                attrs={"target": "_blank", "rel": "noopener"},
            ),
        ]
        if certificate.revoked_at is None and may_revoke_certificates(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Revoke"),
                    url=reverse("certificates:revoke", args=[certificate.pk]),
                    icon_name="warning",
                    classname="no",
                    priority=30,
                )
            )
        return buttons


class CertificateViewSet(AppendOnlyViewSet, ServantScopedViewSet):
    model = Certificate
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    servant_path = "servant"
    icon = "success"
    menu_label = _("Certificates")
    menu_order = 160
    add_to_admin_menu = True
    list_display = [
        "serial",
        "holder_name",
        "title_ru",
        "issued_at",
        "valid_until",
        Column("get_status_display", label=_("status")),
    ]
    list_filter = ["year", "kind"]
    search_fields = ["serial", "holder_name", "title_ru", "title_kk"]
    ordering = ["-issued_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "serial",
        "status",
        "holder_name",
        "holder_iin_masked",
        "title_kk",
        "title_ru",
        "kind",
        "hours",
        "starts_on",
        "completed_on",
        "valid_until",
        "issued_at",
        "issued_by",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
        "supersedes",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pdf/", admin_views.certificate_pdf, name="pdf"),
            path("<int:pk>/revoke/", admin_views.RevokeView.as_view(), name="revoke"),
        ]


@hooks.register("register_admin_viewset")
def register_certificates():
    return CertificateViewSet("certificates")


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [
        path(
            "certificates/sessions/<int:session_id>/issue/",
            admin_views.IssueForSessionView.as_view(),
            name="certificates_issue_session",
        ),
        path(
            "certificates/sessions/<int:session_id>/zip/",
            admin_views.session_zip,
            name="certificates_session_zip",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def session_certificate_buttons(snippet, user, next_url=None):
    """Certificates come from results, recorded once a session has started: a session still
    to come (or cancelled before it ran) offers neither issuing nor the ZIP."""
    if not isinstance(snippet, Session) or not may_run_sessions(user):
        return []
    if not snippet.has_started() or snippet.phase() == SessionPhase.CANCELLED:
        return []
    return [
        MenuItem(
            _("Issue certificates"),
            url=reverse("certificates_issue_session", args=[snippet.pk]),
            icon_name="success",
            priority=30,
        ),
        MenuItem(
            _("Certificates (ZIP)"),
            url=reverse("certificates_session_zip", args=[snippet.pk]),
            icon_name="download",
            priority=31,
        ),
    ]


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    for action, label in (
        ("certificates.certificate.issued", _("Certificate issued")),
        ("certificates.certificate.reissued", _("Certificate reissued after a correction")),
        ("certificates.certificate.revoked", _("Certificate revoked")),
    ):
        actions.register_action(action, label, label)
