"""Background work for notifications: the e-mail, sent once, in the recipient's language."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification


def user_language(user) -> str:
    """The language a back-office user reads the admin in (their Wagtail profile)."""
    try:
        return user.wagtail_userprofile.preferred_language or settings.LANGUAGE_CODE
    except ObjectDoesNotExist:
        return settings.LANGUAGE_CODE


def user_name(user) -> str:
    """How to greet a back-office user: as a civil servant if their login is one."""
    try:
        return user.civil_servant.name_to_address
    except ObjectDoesNotExist:
        return user.first_name or user.get_username()


def recipient_of(notification: Notification) -> tuple[str, str, str]:
    """(address, language, name to greet) — a servant as every letter to a servant has been
    addressed (their own e-mail and preferred language), a user by their login's e-mail."""
    if notification.servant_id:
        servant = notification.servant
        language = servant.preferred_language or settings.LANGUAGE_CODE
        return servant.email, language, servant.name_to_address
    user = notification.user
    return user.email, user_language(user), user_name(user)


@task
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification. The row is claimed with a conditional update of `emailed_at`
    first, so a retried or duplicated task never sends twice (a failed send releases the
    claim and raises, so the retry sends it). False when already sent or no address."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    if not claimed:
        return False
    notification = (
        Notification.objects.select_related(
            "servant", "user__wagtail_userprofile", "user__civil_servant"
        )
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:  # its recipient was deleted meanwhile
        return False
    address, language, name = recipient_of(notification)
    if not address:
        return False
    from .kinds import render

    try:
        with translation.override(language):
            rendered = render(notification)
            link = notification.url(language)
            body = render_to_string(
                "notifications/email/notification.txt",
                {
                    "name": name,
                    "lines": rendered.lines,
                    "url": f"{settings.WAGTAILADMIN_BASE_URL}{link}" if link else "",
                },
            )
            EmailMessage(
                subject=rendered.subject,
                body=body,
                to=[address],
                headers={"Content-Language": language},
            ).send()
    except Exception:
        # Not sent: release the claim so the worker's retry (or the next run) sends it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True
