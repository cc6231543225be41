"""Writes for notifications.

Invariants kept here:
- one notification per recipient and event `key` (a unique constraint; `notify` returns the
  existing one when the event is told again, also when two processes race);
- the e-mail is queued only after the transaction that created the notification commits,
  and the task claims the row (`emailed_at`) before sending, so it is sent at most once;
- only the recipient marks their notifications read.
"""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import CivilServant, HROfficer

from .models import Kind, Notification


def notify(
    *,
    kind: Kind | str,
    key: str,
    params: dict,
    link: str = "",
    servant: CivilServant | None = None,
    user=None,
) -> tuple[Notification, bool]:
    """Tell `servant` (a civil servant) or `user` (a back-office user) of an event, once.

    Returns the notification and whether it is new; only a new one is e-mailed (after
    commit, by the background worker)."""
    if (servant is None) == (user is None):
        raise ValueError("notify() takes exactly one recipient: servant or user")
    recipient = {"servant": servant} if servant is not None else {"user": user}
    try:
        notification, created = Notification.objects.get_or_create(
            **recipient,
            key=key,
            defaults={"kind": kind, "params": params, "link": link},
        )
    except IntegrityError:
        # get_or_create retries its read after a racing insert; reaching here means the row
        # exists but was not visible yet (another transaction still open): it is that one's.
        return Notification(**recipient, key=key, kind=kind, params=params, link=link), False
    if created:
        from .tasks import send_notification_email

        transaction.on_commit(partial(send_notification_email.enqueue, notification.pk))
    return notification, created


def notify_servant_and_officers(
    *,
    servant: CivilServant,
    kind: Kind | str,
    staff_kind: Kind | str,
    key: str,
    params: dict,
    staff_link: str,
    officers: dict[int, list],
) -> int:
    """Tell `servant` (`kind`, linking to My learning) and each active HR officer of their
    state body (`staff_kind`, with the person's name, linking to `staff_link`) of one event,
    in one transaction, once each. `officers` caches the officers per state body across the
    calls of one run. Returns how many notifications are new."""
    if servant.agency_id not in officers:
        officers[servant.agency_id] = [
            officer.user
            for officer in HROfficer.objects.filter(
                agencies=servant.agency_id, user__is_active=True
            ).select_related("user")
        ]
    with transaction.atomic():
        created = notify(servant=servant, kind=kind, key=key, params=params, link="/{lang}/my/")[1]
        for user in officers[servant.agency_id]:
            created += notify(
                user=user,
                kind=staff_kind,
                key=key,
                params=params | {"servant": servant.full_name},
                link=staff_link,
            )[1]
    return created


def _mine(user):
    from .selectors import notifications_for

    return notifications_for(user)


def notification_mark_read(*, notification_id: int, user) -> bool:
    """Mark one of `user`'s notifications read. False when it is not theirs (or already read)."""
    return bool(
        _mine(user).filter(pk=notification_id, read_at__isnull=True).update(read_at=timezone.now())
    )


def notifications_mark_all_read(*, user) -> int:
    return _mine(user).filter(read_at__isnull=True).update(read_at=timezone.now())
