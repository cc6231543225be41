import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _


@task
def send_training_reminder(servant_id: int, lapses_on: str) -> int:
    """E-mail the servant and their HR officers, each in their language. Returns mails sent."""
    from people.models import CivilServant

    from .services import sessions_that_close_the_gap

    servant = CivilServant.objects.select_related("agency", "position").get(pk=servant_id)
    day = datetime.date.fromisoformat(lapses_on)
    options = sessions_that_close_the_gap(servant=servant, as_of=timezone.localdate())
    recipients = []
    if servant.email:
        recipients.append((servant.email, servant.preferred_language))
    for officer in servant.agency.hr_officers.select_related("user"):
        if officer.user.email:
            recipients.append((officer.user.email, settings.LANGUAGE_CODE))
    for address, language in recipients:
        with translation.override(language):
            body = render_to_string(
                "promotions/email/training_reminder.txt",
                {
                    "servant": servant,
                    "lapses_on": day,
                    "options": options,
                    "my_url": f"{settings.WAGTAILADMIN_BASE_URL}/{language}/my/",
                },
            )
            EmailMessage(
                subject=_("Training requirement lapses on %(date)s: %(name)s")
                % {"date": day.strftime("%d.%m.%Y"), "name": servant.full_name},
                body=body,
                to=[address],
            ).send()
    return len(recipients)
