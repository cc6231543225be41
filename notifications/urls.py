from django.urls import path

from . import views

# Under i18n_patterns (/<lang>/…).
urlpatterns = [
    path("my/notifications/", views.my_notifications, name="my_notifications"),
    path("my/notifications/read/", views.mark_all_read, name="notifications_mark_all_read"),
    path(
        "my/notifications/<int:notification_id>/read/",
        views.mark_read,
        name="notification_mark_read",
    ),
]
