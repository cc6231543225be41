"""Background work for nominations: thin wrappers that take primary keys, run after commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Nomination


@task
def send_nomination_email(nomination_id: int) -> bool:
    """Tell the person they were nominated, in their preferred language. The nomination is
    claimed with a conditional update first, so a retried task never e-mails twice. False
    when already told or there is no address."""
    from enrolments.selectors import waitlist_place

    claimed = Nomination.objects.filter(pk=nomination_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    nomination = Nomination.objects.select_related(
        "servant__agency", "session__programme", "enrolment", "nominated_by"
    ).get(pk=nomination_id)
    servant = nomination.servant
    if not servant.email:
        return False
    language = servant.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        programme = nomination.session.programme
        context = {
            "nomination": nomination,
            "servant": servant,
            "session": nomination.session,
            "programme": programme,
            "place": waitlist_place(nomination.enrolment),
            "my_url": f"{settings.WAGTAILADMIN_BASE_URL}/{language}/my/",
        }
        EmailMessage(
            subject=_("You are nominated for training: %(title)s") % {"title": programme.title},
            body=render_to_string("nominations/email/nominated.txt", context),
            to=[servant.email],
            headers={"Content-Language": language},
        ).send()
    return True
