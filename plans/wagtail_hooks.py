from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .services import may_manage_plans, may_plan


@hooks.register("register_admin_urls")
def register_plan_admin_urls():
    return [
        path("plans/", admin_views.PlanView.as_view(), name="plans_plan"),
        path("plans/demand/", admin_views.DemandView.as_view(), name="plans_demand"),
        path(
            "plans/demand/sessions/",
            admin_views.SessionsCreateView.as_view(),
            name="plans_sessions_create",
        ),
    ]


class PlanMenuItem(MenuItem):
    def is_shown(self, request):
        return may_plan(request.user)


class DemandMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_plans(request.user)


@hooks.register("register_admin_menu_item")
def register_plan_menu_item():
    # After Nominations (141): the HR officer's and the academy's work with people's training.
    return PlanMenuItem(
        pgettext_lazy("admin menu", "Training plan"),
        reverse("plans_plan"),
        icon_name="list-ul",
        order=142,
    )


@hooks.register("register_admin_menu_item")
def register_demand_menu_item():
    return DemandMenuItem(
        pgettext_lazy("admin menu", "Training demand"),
        reverse("plans_demand"),
        icon_name="table",
        order=143,
    )


@hooks.register("register_log_actions")
def register_plan_log_actions(actions):
    for action, label in (
        ("plans.line.added", _("Training plan line added")),
        ("plans.line.changed", _("Training plan line changed")),
        ("plans.line.removed", _("Training plan line removed")),
        ("plans.plan.submitted", _("Training plan submitted")),
        ("plans.year.deadline_set", _("Plan submission deadline set")),
        ("plans.year.locked", _("Training plans of the year locked")),
        ("plans.sessions.created", _("Sessions created from the training demand")),
    ):
        actions.register_action(action, label, label)
