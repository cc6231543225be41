from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.log_actions import LogFormatter

from core.backoffice import LabelledModelViewSet
from enrolments.models import TrainingRequirement, TrainingRequirementCategory
from people.admin_scoping import AgencyScopedViewSet, ScopedAdminForm
from people.authorization import may_check_eligibility, may_view_meritocracy

from .explanations import explain_check_run
from .models import Competition, QualificationRequirement, RuleSet


class CompetitionViewSet(AgencyScopedViewSet):
    """The competitions register (filled by imports); HR sees their state bodies only."""

    model = Competition
    icon = "group"
    menu_label = _("Competitions")
    list_display = ["held_on", "agency", "position_title", "category", "kind", "outcome"]
    list_filter = ["kind", "outcome", "agency", "held_on"]
    search_fields = ["position_title", "category"]
    form_fields = [
        "agency",
        "position_title",
        "category",
        "held_on",
        "kind",
        "outcome",
        "winner",
        "violations",
        "officials_liable",
        "decision_cancelled",
        "rerun_of",
    ]
    base_form_class = ScopedAdminForm
    inspect_view_enabled = True


class RuleSetViewSet(LabelledModelViewSet):
    """Rule versions: only administrators change them (no role has the change permission)."""

    model = RuleSet
    icon = "cogs"
    menu_label = _("Rule sets")
    list_display = ["version", "effective_from", "consecutive_effective_quarters"]
    form_fields = ["version", "effective_from", "consecutive_effective_quarters", "basis"]
    inspect_view_enabled = True


class RequirementViewSet(LabelledModelViewSet):
    model = QualificationRequirement
    icon = "list-ul"
    menu_label = _("Qualification requirements")
    list_display = ["rule_set", "category_pattern", "required_programmes", "min_years_of_service"]
    list_filter = ["rule_set"]
    form_fields = ["rule_set", "category_pattern", "required_programmes", "min_years_of_service"]


class TrainingRequirementViewSet(LabelledModelViewSet):
    """The training requirement (enrolments' one definition), shown beside the rule sets that
    read it; like them, only administrators change it."""

    model = TrainingRequirement
    icon = "time"
    menu_label = _("Training requirements")
    list_display = ["effective_from", "window_years", "min_hours", "retraining_due_months"]
    form_fields = [
        "effective_from",
        "window_years",
        "min_hours",
        "retraining_due_months",
        "retraining_required",
        "basis",
    ]
    inspect_view_enabled = True


class TrainingRequirementCategoryViewSet(LabelledModelViewSet):
    model = TrainingRequirementCategory
    icon = "list-ul"
    menu_label = _("Training hours for categories")
    list_display = ["requirement", "category_pattern", "min_hours"]
    list_filter = ["requirement"]
    form_fields = ["requirement", "category_pattern", "min_hours"]


class PromotionsGroup(ViewSetGroup):
    menu_label = pgettext_lazy("admin menu", "Promotions")
    menu_icon = "success"
    menu_order = 300
    items = (
        CompetitionViewSet("competitions"),
        RuleSetViewSet("rule_sets"),
        RequirementViewSet("requirements"),
        TrainingRequirementViewSet("training_requirements"),
        TrainingRequirementCategoryViewSet("training_categories"),
    )


@hooks.register("register_admin_viewset")
def register_promotions():
    return PromotionsGroup()


@hooks.register("register_admin_urls")
def register_promotion_urls():
    from django.urls import path

    from .admin_views import (
        DryRunView,
        EligibilityCheckView,
        MeritAppointmentView,
        MeritocracyDashboardView,
    )

    return [
        path("promotions/check/", EligibilityCheckView.as_view(), name="promotions_check"),
        path(
            "promotions/check/appointment/",
            MeritAppointmentView.as_view(),
            name="promotions_merit_appointment",
        ),
        path(
            "promotions/meritocracy/",
            MeritocracyDashboardView.as_view(),
            name="promotions_dashboard",
        ),
        path(
            "promotions/rule-sets/<int:pk>/dry-run/",
            DryRunView.as_view(),
            name="promotions_dry_run",
        ),
    ]


class _RoleMenuItem(MenuItem):
    def __init__(self, *args, roles_check, **kwargs):
        super().__init__(*args, **kwargs)
        self._check = roles_check

    def is_shown(self, request):
        return self._check(request.user)


@hooks.register("register_admin_menu_item")
def register_check_menu_item():
    return _RoleMenuItem(
        pgettext_lazy("admin menu", "Eligibility check"),
        reverse("promotions_check"),
        icon_name="success",
        order=310,
        roles_check=may_check_eligibility,
    )


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return _RoleMenuItem(
        _("Meritocracy"),
        reverse("promotions_dashboard"),
        icon_name="view",
        order=320,
        roles_check=may_view_meritocracy,
    )


class CheckRunFormatter(LogFormatter):
    """An eligibility check's history entry: the verdict and the criteria not met, from the
    codes in its data, in the reader's language."""

    label = _("Eligibility check run")

    def format_message(self, log_entry) -> str:
        why = explain_check_run(log_entry.data or {})
        return f"{self.label}: {why}" if why else str(self.label)


@hooks.register("register_log_actions")
def register_promotion_actions(actions):
    actions.register_action("promotions.check.run")(CheckRunFormatter)
    actions.register_action(
        "promotions.merit_appointment.recorded",
        _("Appointment under the merit rule recorded"),
        _("Appointment under the merit rule recorded"),
    )
