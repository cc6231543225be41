from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from people.admin_scoping import AgencyScopedViewSet, ScopedAdminForm

from .models import Competition, QualificationRequirement, RuleSet


class CompetitionViewSet(AgencyScopedViewSet):
    """The competitions register (filled by imports); HR sees their state bodies only."""

    model = Competition
    icon = "group"
    menu_label = _("Competitions")
    list_display = ["held_on", "agency", "position_title", "category", "kind", "outcome"]
    list_filter = ["kind", "outcome", "agency", "held_on"]
    search_fields = ["position_title", "category"]
    form_fields = ["agency", "position_title", "category", "held_on", "kind", "outcome", "winner"]
    base_form_class = ScopedAdminForm
    inspect_view_enabled = True


class RuleSetViewSet(ModelViewSet):
    """Rule versions: only administrators change them (no role has the change permission)."""

    model = RuleSet
    icon = "cogs"
    menu_label = _("Rule sets")
    list_display = [
        "version",
        "effective_from",
        "consecutive_effective_quarters",
        "training_window_years",
        "min_upgrade_hours",
    ]
    form_fields = [
        "version",
        "effective_from",
        "consecutive_effective_quarters",
        "training_window_years",
        "min_upgrade_hours",
        "retraining_due_months",
        "retraining_required",
        "basis",
    ]
    inspect_view_enabled = True


class RequirementViewSet(ModelViewSet):
    model = QualificationRequirement
    icon = "list-ul"
    menu_label = _("Qualification requirements")
    list_display = [
        "rule_set",
        "category_pattern",
        "min_hours",
        "required_programmes",
        "min_years_of_service",
    ]
    list_filter = ["rule_set"]
    form_fields = [
        "rule_set",
        "category_pattern",
        "min_hours",
        "required_programmes",
        "min_years_of_service",
    ]


class PromotionsGroup(ViewSetGroup):
    menu_label = _("Promotions")
    menu_icon = "success"
    menu_order = 300
    items = (
        CompetitionViewSet("competitions"),
        RuleSetViewSet("rule_sets"),
        RequirementViewSet("requirements"),
    )


@hooks.register("register_admin_viewset")
def register_promotions():
    return PromotionsGroup()
