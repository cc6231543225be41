from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .services import may_nominate


@hooks.register("register_admin_urls")
def register_nomination_admin_urls():
    return [
        path("nominations/", admin_views.NominationsView.as_view(), name="nominations_list"),
        path(
            "nominations/nominate/",
            admin_views.NominateView.as_view(),
            name="nominations_nominate",
        ),
        path("assignments/", admin_views.AssignmentsView.as_view(), name="assignments_list"),
        path(
            "assignments/assign/",
            admin_views.AssignView.as_view(),
            name="assignments_assign",
        ),
    ]


class NominationsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_nominate(request.user)


@hooks.register("register_admin_menu_item")
def register_nominations_menu_item():
    # Beside Approvals (140): the HR officer's and the academy's work with people's training.
    return NominationsMenuItem(
        pgettext_lazy("admin menu", "Nominations"),
        reverse("nominations_list"),
        icon_name="group",
        order=141,
    )


@hooks.register("register_admin_menu_item")
def register_assignments_menu_item():
    return NominationsMenuItem(
        pgettext_lazy("admin menu", "Mandatory training"),
        reverse("assignments_list"),
        icon_name="date",
        order=142,
    )


@hooks.register("register_log_actions")
def register_nomination_log_actions(actions):
    for action, label in (
        ("nominations.nomination.created", _("Nominated for training")),
        ("nominations.withdrawal.requested", _("Asked to be withdrawn from a nomination")),
        ("nominations.withdrawal.approved", _("Withdrawal request approved")),
        ("nominations.withdrawal.rejected", _("Withdrawal request rejected")),
        ("nominations.assignment.created", _("Mandatory training assigned")),
        ("nominations.assignment.cancelled", _("Mandatory training assignment cancelled")),
    ):
        actions.register_action(action, label, label)
