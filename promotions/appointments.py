"""Services: recording an appointment to a higher position under the merit rule."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from people.authorization import may_record_appointment
from people.models import CivilServant

from .models import MeritAppointment
from .services import NoRuleSet, eligibility_check_record


def merit_appointment_record(
    *,
    servant: CivilServant,
    position_title: str,
    category: str,
    appointed_on: datetime.date,
    actor,
) -> MeritAppointment:
    """Record that `servant` was appointed to a higher position of `category` without a
    competition under the merit rule, on `appointed_on`.

    Who: an academy manager, a superuser, or an HR officer for a person of their own state
    bodies. Refused unless the person is eligible for `category` on that day: the check is run
    again on that day and stored with the appointment (EligibilityCheck, logged), so the
    appointment stays explainable. Audited (django-auditlog) and logged
    (`promotions.merit_appointment.recorded`). A refusal writes nothing."""
    if not may_record_appointment(actor, servant):
        raise PermissionDenied(
            _("You may not record an appointment of this person: not one of your state bodies.")
        )
    if appointed_on > timezone.localdate():
        raise ValidationError(_("An appointment cannot be recorded before the day it is made."))
    position_title = position_title.strip()
    if not position_title:
        raise ValidationError(_("Name the position the person was appointed to."))
    with transaction.atomic():
        servant = CivilServant.objects.select_for_update().get(pk=servant.pk)
        if MeritAppointment.objects.filter(
            servant=servant, category=category, appointed_on=appointed_on
        ).exists():
            raise ValidationError(_("This appointment is already recorded."))
        try:
            check = eligibility_check_record(
                servant=servant, target_category=category, as_of=appointed_on, actor=actor
            )
        except NoRuleSet as exc:
            raise ValidationError(str(exc)) from exc
        if not check.eligible:
            missing = " ".join(c["explanation"] for c in check.explained_criteria() if not c["met"])
            # Raised inside the transaction: nothing is kept of a refusal, the check included.
            raise ValidationError(
                _(
                    "%(name)s is not eligible for promotion without competition to %(category)s"
                    " on %(date)s: %(missing)s"
                )
                % {
                    "name": servant.full_name,
                    "category": category,
                    "date": appointed_on.strftime("%d.%m.%Y"),
                    "missing": missing,
                }
            )
        appointment = MeritAppointment.objects.create(
            servant=servant,
            agency_id=servant.agency_id,
            position_title=position_title,
            category=category,
            appointed_on=appointed_on,
            eligibility_check=check,
        )
        log(
            instance=appointment,
            action="promotions.merit_appointment.recorded",
            user=actor,
            data={
                "category": category,
                "appointed_on": appointed_on.isoformat(),
                "eligibility_check": check.pk,
                "rule_version": check.rule_set.version,
            },
        )
    return appointment
