from django.urls import path
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_notification_urls():
    # Wagtail's admin URLs require a logged-in user with admin access.
    return [
        path("notifications/", views.AdminNotificationsView.as_view(), name="notifications_admin"),
        path("notifications/read/", views.admin_mark_all_read, name="notifications_admin_read_all"),
        path(
            "notifications/<int:notification_id>/read/",
            views.admin_mark_read,
            name="notifications_admin_read",
        ),
    ]
