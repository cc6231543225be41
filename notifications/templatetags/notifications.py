"""My learning's latest notifications: `{% load notifications %}{% my_latest_notifications %}`."""

from django import template
from django.utils.translation import get_language

from notifications.selectors import notifications_for, unread_count
from notifications.views import rows

register = template.Library()

LATEST = 5


@register.inclusion_tag("notifications/_latest.html", takes_context=True)
def my_latest_notifications(context):
    request = context["request"]
    latest = list(notifications_for(request.user)[:LATEST])
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "rows": rows(latest, (get_language() or "kk")[:2]),
        "unread": unread_count(request.user) if latest else 0,
    }
