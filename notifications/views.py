"""The in-app lists: `/<lang>/my/notifications/` (everything addressed to the logged-in user)
and the back office's `/admin/notifications/`. Each shows the reader's own notifications only;
marking read is a POST that touches only the reader's own rows."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_POST

from core.backoffice import AdminPage

from .selectors import notifications_for
from .services import notification_mark_read, notifications_mark_all_read

PER_PAGE = 30


def rows(notifications, language: str) -> list[dict]:
    """What a list shows of each notification, worded in the active language."""
    return [
        {
            "notification": n,
            "headline": n.headline(),
            "url": n.url(language),
            "unread": n.unread,
        }
        for n in notifications
    ]


def _back(request: HttpRequest, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
def my_notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    language = (get_language() or "kk")[:2]
    return render(
        request,
        "notifications/my_notifications.html",
        {"page": page, "rows": rows(page.object_list, language)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification_mark_read(notification_id=notification_id, user=request.user)
    return _back(request, "my_notifications")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)
    return _back(request, "my_notifications")


class AdminNotificationsView(AdminPage):
    """The back office's list: what is addressed to this login."""

    template_name = "notifications/admin/list.html"
    page_title = gettext_lazy("Notifications")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(notifications_for(self.request.user), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(page=page, rows=rows(page.object_list, (get_language() or "kk")[:2]))
        return context


@require_POST
def admin_mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification_mark_read(notification_id=notification_id, user=request.user)
    return _back(request, "notifications_admin")


@require_POST
def admin_mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)
    return _back(request, "notifications_admin")
