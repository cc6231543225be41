from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.views.generic.models import IndexView as ModelIndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet

from core.backoffice import AppendOnlyViewSet, LocalizedColumn
from core.filters import labelled_filterset
from courses.models import Session, SessionPhase
from people.admin_scoping import ServantScopedViewSet
from people.authorization import may_correct_records, may_decide_enrolments, may_run_sessions

from . import admin_views
from .admin_filters import record_filters
from .explanations import register_explained_actions
from .models import Enrolment, QualificationRecord
from .session_admin import AcademySessionViewSet

register_snippet(AcademySessionViewSet)


@hooks.register("register_snippet_listing_buttons")
def session_listing_buttons(instance, user, next_url=None):
    """The session list's row menu and the session's page offer enrolments' screens for each
    session, as its state allows: results once it has started, cancelling until it is over."""
    if not isinstance(instance, Session) or not may_run_sessions(user):
        return []
    phase = instance.phase()
    buttons = []
    if phase in (SessionPhase.RUNNING, SessionPhase.FINISHED):
        buttons.append(
            ListingMenuItem(
                _("Attendance and results"),
                url=reverse("enrolments_session_results", args=[instance.pk]),
                icon_name="form",
                priority=15,
            )
        )
    if phase in (SessionPhase.UPCOMING, SessionPhase.RUNNING):
        buttons.append(
            ListingMenuItem(
                _("Cancel session"),
                url=reverse("enrolments_session_cancel", args=[instance.pk]),
                icon_name="warning",
                priority=90,
            )
        )
    return buttons


class EnrolmentViewSet(AppendOnlyViewSet, ServantScopedViewSet):
    """Enrolments change only through services (requests, decisions, results): read-only here."""

    model = Enrolment
    servant_path = "servant"
    icon = "list-ul"
    menu_label = _("Enrolments")
    list_display = ["servant", "session", "status", "priority", "requested_at"]
    list_select_related = ("servant", "session__programme")
    filterset_class = labelled_filterset(
        Enrolment,
        ["status", "priority", "session__programme__kind"],
        {"session__programme__kind": _("programme kind")},
    )
    search_fields = ["servant__last_name", "servant__iin", "session__programme__code"]
    ordering = ["-requested_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "servant",
        "session",
        "status",
        "priority",
        "priority_reason",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "attended_hours",
        "passed",
        "score",
    ]


class RecordIndexView(ModelIndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        user = self.request.user
        if instance.is_current and may_correct_records(user):
            buttons.append(
                ListingMenuItem(
                    _("Correct"),
                    url=reverse("enrolments_record_correct", args=[instance.pk]),
                    icon_name="edit",
                    priority=20,
                )
            )
        return buttons


class QualificationRecordViewSet(AppendOnlyViewSet, ServantScopedViewSet):
    index_view_class = RecordIndexView
    list_select_related = ("servant",)
    model = QualificationRecord
    servant_path = "servant"
    icon = "success"
    menu_label = _("Qualification records")
    list_display = [
        "servant",
        LocalizedColumn("title", label=capfirst(_("title"))),
        "hours",
        "completed_on",
        "valid_until",
        "source",
        "is_current",
    ]
    # valid_until by range and current only: the home page's "expiring within 90 days"
    # links here.
    filterset_class = labelled_filterset(
        QualificationRecord, ["source", "kind"], {}, attrs=record_filters()
    )
    search_fields = ["servant__last_name", "servant__iin", "title_kk", "title_ru", "title_en"]
    ordering = ["-completed_on"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "uid",
        "servant",
        # in the admin user's language (falling back kk → ru → en), then each language
        "title",
        "title_kk",
        "title_ru",
        "title_en",
        "kind",
        "provider",
        "provider_kk",
        "provider_ru",
        "provider_en",
        "hours",
        "completed_on",
        "valid_until",
        "source",
        "enrolment",
        "is_current",
        "supersedes",
        "correction_reason",
        "created_at",
    ]


class LearningGroup(ViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "list-ul"
    menu_order = 150
    items = (EnrolmentViewSet("enrolments"), QualificationRecordViewSet("records"))


@hooks.register("register_admin_viewset")
def register_learning():
    return LearningGroup()


@hooks.register("register_admin_urls")
def register_enrolment_admin_urls():
    return [
        path(
            "enrolments/approvals/",
            admin_views.ApprovalQueueView.as_view(),
            name="enrolments_approvals",
        ),
        path(
            "enrolments/sessions/<int:session_id>/results/",
            admin_views.SessionResultsView.as_view(),
            name="enrolments_session_results",
        ),
        path(
            "enrolments/records/<int:record_id>/correct/",
            admin_views.RecordCorrectView.as_view(),
            name="enrolments_record_correct",
        ),
        path(
            "enrolments/sessions/<int:session_id>/cancel/",
            admin_views.SessionCancelView.as_view(),
            name="enrolments_session_cancel",
        ),
    ]


class ApprovalsMenuItem(MenuItem):
    """ "Approvals (3)": the label counts the requests waiting for this user (one COUNT)."""

    def is_shown(self, request):
        return may_decide_enrolments(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        count = admin_views.pending_for(request.user).count()
        if count:
            component.label = _("%(label)s (%(count)s)") % {"label": self.label, "count": count}
        return component


@hooks.register("register_admin_menu_item")
def register_approvals_menu_item():
    # Short (the sidebar cuts long labels), so the count after it stays visible.
    return ApprovalsMenuItem(
        pgettext_lazy("admin menu", "Approvals"),
        reverse("enrolments_approvals"),
        name="approvals",
        icon_name="check",
        order=140,
    )


@hooks.register("register_log_actions")
def register_enrolment_log_actions(actions):
    # Entries that carry an explanation (codes and values) render it when read.
    register_explained_actions(actions)
    for action, label in (
        ("enrolments.enrolment.approved", _("Enrolment approved")),
        ("enrolments.enrolment.rejected", _("Enrolment rejected")),
        ("enrolments.enrolment.withdrawn", _("Enrolment withdrawn")),
        ("enrolments.enrolment.cancelled", _("Enrolment cancelled with its session")),
        ("enrolments.enrolment.completed", _("Completed")),
        ("enrolments.enrolment.failed", _("Not passed")),
        ("enrolments.enrolment.no_show", _("Did not attend")),
        ("enrolments.session.cancelled", _("Session cancelled")),
        ("enrolments.record.created", _("Qualification record created")),
    ):
        actions.register_action(action, label, label)
