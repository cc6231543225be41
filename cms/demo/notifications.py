"""Demo notifications: what the daily commands would tell today, and a certificate issued to the
demo servant, so My learning and the admin home show their notifications (one already read)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates.services import certificate_issue, pending_records
from enrolments.expiry import qualification_expiry_notify
from nominations.digest import approval_digests_send
from notifications.models import Notification


def seed(*, stdout, today, **kwargs) -> None:
    users = get_user_model().objects
    manager = users.filter(username="manager").first()
    record = pending_records().filter(servant__user__username="servant").first()
    if record is not None and manager is not None:
        certificate_issue(record=record, actor=manager)
    expiring = qualification_expiry_notify(as_of=today)
    digests = approval_digests_send(today=today)
    # The demo servant's oldest one has been read (once): the list shows both kinds of row.
    theirs = Notification.objects.filter(servant__user__username="servant")
    if theirs.count() > 1 and not theirs.filter(read_at__isnull=False).exists():
        oldest = theirs.order_by("created_at", "pk").first()
        theirs.filter(pk=oldest.pk).update(read_at=timezone.now())
    stdout.write(
        f"Notifications: {Notification.objects.count()} "
        f"(expiring qualifications: {expiring} new, approval digests: {digests} new)."
    )
