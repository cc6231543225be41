"""Services of a servant's private calendar feed (the address of their own sessions)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from people.models import CivilServant

from .models import CalendarFeed, new_feed_token


@transaction.atomic
def calendar_feed_rotate(*, servant: CivilServant, actor) -> CalendarFeed:
    """Give `servant` a private calendar address: a first one, or a new one that replaces the
    old (which stops working at once). Only the servant asks for their own address."""
    if actor is None or servant.user_id is None or servant.user_id != actor.pk:
        raise PermissionDenied(_("Only the person themselves may get their calendar link."))
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(servant=servant)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed
