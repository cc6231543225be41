"""Background work for enrolments: thin wrappers that take primary keys, run after commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Enrolment


def _subject(event: str, title: str) -> str:
    subjects = {
        "enrolled": _("You are enrolled: %(title)s"),
        "pending_approval": _("Your request awaits approval: %(title)s"),
        "waitlisted": _("You are on the waiting list: %(title)s"),
        "approved": _("Your enrolment was approved: %(title)s"),
        "rejected": _("Your enrolment was not approved: %(title)s"),
        "reminder": _("Reminder: %(title)s starts soon"),
        "session_cancelled": _("Session cancelled: %(title)s"),
    }
    return subjects[event] % {"title": title}


@task
def send_enrolment_email(enrolment_id: int, event: str) -> bool:
    """E-mail the servant about `event`, in their preferred language. False if no address."""
    from .selectors import waitlist_place

    enrolment = (
        Enrolment.objects.select_related("servant", "session__programme")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not enrolment.servant.email:
        return False
    language = enrolment.servant.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        programme = enrolment.session.programme
        context = {
            "enrolment": enrolment,
            "servant": enrolment.servant,
            "session": enrolment.session,
            "programme": programme,
            "event": event,
            "place": waitlist_place(enrolment),
            "my_url": f"{settings.WAGTAILADMIN_BASE_URL}/{language}/my/",
        }
        body = render_to_string("enrolments/email/notification.txt", context)
        message = EmailMessage(
            subject=_subject(event, programme.title),
            body=body,
            to=[enrolment.servant.email],
            headers={"Content-Language": language},
        )
        message.send()
    return True
