"""Reads of notifications. Only the recipient ever sees theirs."""

from django.db.models import Q, QuerySet

from .models import Notification


def notifications_for(user, *, as_servant: bool | None = None) -> QuerySet[Notification]:
    """Notifications addressed to `user`: to their login (back office) and to the civil
    servant whose login it is (My learning). `as_servant` True/False narrows to one of them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notification.objects.none()
    to_servant = Q(servant__user=user, servant__isnull=False)
    to_user = Q(user=user)
    where = {None: to_servant | to_user, True: to_servant, False: to_user}[as_servant]
    return Notification.objects.filter(where)


def unread_count(user, *, as_servant: bool | None = None) -> int:
    return notifications_for(user, as_servant=as_servant).filter(read_at__isnull=True).count()
