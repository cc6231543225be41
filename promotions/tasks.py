import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _


def _officer_language(user) -> str:
    """The language the HR officer reads the back office in (their Wagtail profile)."""
    try:
        return user.wagtail_userprofile.preferred_language or settings.LANGUAGE_CODE
    except ObjectDoesNotExist:
        return settings.LANGUAGE_CODE


def _officer_name(user) -> str:
    """How to greet the officer: as a civil servant if their login is one, else by first name."""
    try:
        return user.civil_servant.name_to_address
    except ObjectDoesNotExist:
        return user.first_name


@task
def send_training_reminder(servant_id: int, lapses_on: str) -> int:
    """E-mail the servant (in their language, to them) and their HR officers (each in the
    language of their back office, about the servant, with a link to the servant's page in the
    back office). Returns mails sent."""
    from people.models import CivilServant

    from .services import sessions_that_close_the_gap

    servant = CivilServant.objects.select_related("agency", "position").get(pk=servant_id)
    day = datetime.date.fromisoformat(lapses_on)
    options = sessions_that_close_the_gap(servant=servant, as_of=timezone.localdate())
    context = {"servant": servant, "lapses_on": day, "options": options}
    sent = 0
    if servant.email:
        language = servant.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            _send(
                template="promotions/email/training_reminder.txt",
                context=context | {"my_url": f"{settings.WAGTAILADMIN_BASE_URL}/{language}/my/"},
                subject=_("Your training requirement lapses on %(date)s")
                % {"date": day.strftime("%d.%m.%Y")},
                address=servant.email,
                language=language,
            )
        sent += 1
    # The admin's URLs carry no language prefix: the page follows the officer's own profile.
    admin_url = settings.WAGTAILADMIN_BASE_URL + reverse("servants:inspect", args=[servant.pk])
    officers = servant.agency.hr_officers.select_related(
        "user__wagtail_userprofile", "user__civil_servant"
    )
    for officer in officers:
        if not officer.user.email:
            continue
        language = _officer_language(officer.user)
        with translation.override(language):
            _send(
                template="promotions/email/training_reminder_hr.txt",
                context=context
                | {"officer_name": _officer_name(officer.user), "admin_url": admin_url},
                subject=_("Training requirement lapses on %(date)s: %(name)s")
                % {"date": day.strftime("%d.%m.%Y"), "name": servant.full_name},
                address=officer.user.email,
                language=language,
            )
        sent += 1
    return sent


def _send(*, template: str, context: dict, subject: str, address: str, language: str) -> None:
    EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        to=[address],
        headers={"Content-Language": language},
    ).send()
